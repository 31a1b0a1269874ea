// `apriora help automations`. Sources: src/commands/automations/run.ts,
// src/cli/automation-output.ts, src/workflows/automation-runner.ts,
// src/workflows/applicant-cursor.ts, src/store/automation-state.ts, src/store/runner-lock.ts.
export default String.raw`RUNNING APRIORA'S AUTOMATIONS FROM HERE

Apriora runs the automations of its Tracker integration on its side once they are enabled:
invitations for the applicants of live jobs, and an interview for each new open job.
"apriora automations run" does the same work from this tool, with the same settings (read from
Apriora at the start of every cycle) and the same decisions, for a customer who wants it or to
catch up a backlog. Every invitation goes out as with "apriora interview invite": one invitation
per candidate and interview, recorded in Tracker as the interview's "Apriora Interview" activity.
When Apriora's own automation is enabled too, the runner says so: both would invite, and
Apriora's already_invited keeps it to one invitation.

  apriora automations run --once                 one cycle, then exit (cron)
  apriora automations run --watch --interval 5m  a cycle every 5 minutes until Ctrl-C or SIGTERM

  --once | --watch           one of them
  --interval D               with --watch: time between cycles (default 5m; 30m, 2h, 1d)
  --full-scan-every D        read every applicant row again this often (default 1h)
  --json                     one JSON line per action and per cycle on stdout

Exit codes: 0; 3 when items of a --once cycle failed; 2 when another runner holds the profile
(and for bad flags); 4 and 5 as usual (credentials, a service down).


A CYCLE

1. Interviews (when interview creation is enabled): the open Tracker jobs created or updated
   since the previous cycle (none on the first: interview creation applies to jobs from when it
   was switched on; older ones get theirs with "apriora interview generate --all-open") that pass
   the filters and have no interview get one, as "apriora interview generate" makes it. A job that fails is tried again
   next cycle.
2. Invitations (when invitations are enabled): the applicant rows read (see CURSORS), the live
   jobs (open, with an active interview), the invitations of the last 24 hours and of each
   interview concerned; then each due applicant is invited (a phone interview inside the
   blackout is scheduled for its end with sendAt). A failing candidate or job is reported and
   the cycle goes on.

The log has one line per action (an invitation, an interview created, a failure) and one summary
per cycle: invited, interviews created, failed, skipped, waiting, rows read. Human lines go to
stderr, JSON lines (--json) to stdout.


CURSORS

Tracker's applicant rows come in ascending id, in pages of 10; a new application is at the end.
The runner keeps, in <data dir>/<profile>/automations.json (0600, replaced atomically):

  applicants.lastApplicationId   every row up to it is decided for good (invited or skipped)
  applicants.rowsUpToLast        how many rows there were up to it: where its page is
  applicants.lastFullScanAt      when every row was last read
  applicants.unfinished          rows whose invitation was started and not finished
  jobs.lastCycleAt               jobs created or updated after it are looked at next
  lastCycle, nextRunAt           what the last cycle did, when the next one runs (--watch)

A cycle reads the page holding the last row seen and the pages after it: an idle cycle costs one
applicant search, one job search and one Apriora read, whatever the size of the database. If
older rows were deleted, the page is found again by walking back from the estimate; after a few
pages it reads everything instead. A row that waits (its delay has not passed) or failed holds
the cursor, so the next cycle reads it again; a row that fails in 3 cycles is given up and
reported. Every --full-scan-every, all rows are read again: applicants whose status changed
since (to a trigger status) are invited then, and so are rows skipped earlier for a reason that
has passed (their job had no live interview yet, one invitation a day, no usable phone). Between
full scans "automations preview", which reads every row, may list such an applicant before the
runner invites them. Interview creation takes the jobs created or updated after the runner first
saw it switched on; older open jobs get theirs with "apriora interview generate --all-open".

A state file that cannot be read is kept as automations.json.corrupt, with a warning, and the
runner starts over with a full scan: nobody is invited twice (see SAFE TO KILL).


ONE RUNNER PER PROFILE

<data dir>/<profile>/automations.lock is held while a runner runs (automations.runner.json says
which: pid, host, since when). A second "automations run" of the profile exits 2 naming the
first. The lock of a runner that was killed is taken over: at once on the same host, else once
it is 10 seconds stale. The profile's Tracker rate limit, its backoff on 429 and 5xx, and its
write locks are shared with every other command of the profile.


SAFE TO KILL

Ctrl-C or SIGTERM: the item in hand is finished, the cursors are saved, and the runner exits 0.
kill -9, a crash or a reboot at any point: a restart sends no second invitation and skips
nobody. Before an invitation is sent, its row is written to applicants.unfinished; the cursor
only moves over rows that are done. The next cycle reads that row again and finishes it: Apriora
answers 409 already_invited to a second invitation, and the interview's activity is found by its
marker before one is written.


CREDENTIALS FOR A SERVICE

On a server there is no keychain: give the secrets in the environment and keep the state in a
data dir that survives restarts (see "apriora help environment"):

  TRACKER_USERNAME, TRACKER_API_KEY, TRACKER_PASSWORD, TRACKER_REGION (us, ca, uk)
  TRACKER_REST_TOKEN        the applicants are read with Tracker's REST API
  APRIORA_API_KEY
  APRIORA_CREDENTIAL_STORE=file   never look for a keychain
  APRIORA_CONFIG_DIR, APRIORA_DATA_DIR


CRON

A cycle every 5 minutes; a cycle still running when the next starts makes the new one exit 2
(logged, harmless). /etc/apriora/acme.env holds the variables above as "export NAME=value"
lines (chmod 600). One line per customer, each with its own --profile: the profile keeps the
runner's lock and cursors apart.

  # crontab -e
  SHELL=/bin/sh
  */5 * * * * . /etc/apriora/acme.env; apriora automations run --profile acme --once --json >>/var/log/apriora-acme 2>&1

The --once exit code is 3 when an item failed: cron mails the output when MAILTO is set.


SYSTEMD

/etc/systemd/system/apriora-automations@.service (one instance per customer, e.g. @acme):

  [Unit]
  Description=Apriora automations for Tracker (%i)
  After=network-online.target
  Wants=network-online.target

  [Service]
  Type=simple
  User=apriora
  EnvironmentFile=/etc/apriora/%i.env
  Environment=APRIORA_CREDENTIAL_STORE=file
  Environment=APRIORA_DATA_DIR=/var/lib/apriora
  Environment=APRIORA_CONFIG_DIR=/etc/apriora/config
  StateDirectory=apriora
  ExecStart=/usr/bin/apriora automations run --watch --interval 5m --full-scan-every 1h \
    --json --profile %i
  KillSignal=SIGTERM
  TimeoutStopSec=120
  Restart=on-failure
  RestartSec=30

  [Install]
  WantedBy=multi-user.target

  sudo systemctl daemon-reload
  sudo systemctl enable --now apriora-automations@acme
  journalctl -u apriora-automations@acme -f


KUBERNETES CRONJOB

One cycle every 5 minutes; concurrencyPolicy Forbid keeps to one runner, and the volume keeps the
cursors between runs (without it every run is a first run: a full scan, nobody invited twice).

  apiVersion: v1
  kind: Secret
  metadata:
    name: apriora-acme
  type: Opaque
  stringData:
    TRACKER_USERNAME: api.user@acme.example
    TRACKER_API_KEY: "..."
    TRACKER_PASSWORD: "..."
    TRACKER_REGION: us
    TRACKER_REST_TOKEN: "..."
    APRIORA_API_KEY: "..."
  ---
  apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: apriora-acme-state
  spec:
    accessModes: [ReadWriteOnce]
    resources:
      requests:
        storage: 100Mi
  ---
  apiVersion: batch/v1
  kind: CronJob
  metadata:
    name: apriora-automations-acme
  spec:
    schedule: "*/5 * * * *"
    concurrencyPolicy: Forbid
    successfulJobsHistoryLimit: 1
    failedJobsHistoryLimit: 3
    jobTemplate:
      spec:
        backoffLimit: 0
        template:
          spec:
            restartPolicy: Never
            containers:
              - name: runner
                image: your-registry.example/apriora:latest
                args: [automations, run, --once, --json]
                envFrom:
                  - secretRef:
                      name: apriora-acme
                env:
                  - name: APRIORA_CREDENTIAL_STORE
                    value: file
                  - name: APRIORA_DATA_DIR
                    value: /state/data
                  - name: APRIORA_CONFIG_DIR
                    value: /state/config
                volumeMounts:
                  - name: state
                    mountPath: /state
            volumes:
              - name: state
                persistentVolumeClaim:
                  claimName: apriora-acme-state

The image runs the apriora command as its entrypoint (e.g. FROM node:20-slim, the package
installed globally, ENTRYPOINT ["apriora"]).
`;
