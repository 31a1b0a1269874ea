// `apriora help exit-codes`. Sources: src/errors.ts (one class per code), src/cli/run.ts, src/cli/main.ts,
// src/cli/bulk.ts, src/commands/activity/listen.ts, src/cli/doctor-run.ts, src/commands/smoke.ts.
export default `EXIT CODES

The same with or without --json. With --json (or --output json or ndjson) the reason is also on
stdout, as error.code: see "apriora help json".

  CODE  MEANING
  0     Success. Also "no" to a confirmation: nothing is written, "Nothing written." is
        printed, and with --json the data is {"declined": true, "written": false}.
  1     Unexpected internal error: a bug. A short message on stderr; the stack only with --debug.
  2     Usage error or invalid input: a bad flag, a malformed file or id, a missing value while
        prompts are off, a step that must come first (field map, Tracker login). Also the
        machine in the way, with the path or address and the fix: a config or data dir that
        cannot be read or written, a full disk, a port in use, a host that does not resolve.
  3     Partial failure: a bulk run (interview generate, interview invite, activity push) in
        which some items failed, or were found twice in Tracker (status duplicate). Every
        other item succeeded and is reported.
  4     Authentication: credentials missing or refused (the Tracker REST API token too, for
        the applicant commands), keychain unavailable or locked.
  5     Remote service error: Tracker or Apriora still failing after retries (5xx, 429, timeout,
        network), a record that does not exist, or an answer that does not have the expected
        shape.
  130   Interrupted: Ctrl-C (at a question too). A bulk run reports what it did, and the same
        command run again completes the rest. A second Ctrl-C exits at once, saying that work
        under way may be unfinished.
  143   Stopped by SIGTERM (a CI job cancelled, a container stopped): the same clean stop as
        Ctrl-C, with what was done reported. A long-running server (activity listen, sandbox
        start) exits 0 instead once it has drained.


EXAMPLES

  0    apriora tracker status                      Tracker accepts the profile's credentials
       apriora interview generate --all-open       every job created, exists or updated
       "no" to "Create 12 phone interviews …?"     declined: nothing written
  1    internal_error                              run again with --debug and report the output
  2    apriora --bogus                             usage_error: unknown option '--bogus'
       apriora -h bogus                            usage_error: unknown command 'bogus'
       apriora interview generate --job abc        invalid_job_id
       apriora interview generate --job 1 --all-open
                                                   "--job and --all-open cannot be used together"
       apriora activity push --since 7d            field_map_missing, before tracker fields map
       apriora tracker login --region us --no-input
                                                   missing_value, naming --username
       apriora activity listen                     missing_value: no webhook signing secret
       apriora activity listen (a second one)      listener_running, or port_in_use
       apriora activity listen --host 999.1.1.1    host_not_found
       apriora interview invite --job 3105 --applicants
                                                   no_interview: interview generate first
       apriora onboard (no "Apriora Interview" activity in Tracker yet)
                                                   activity_type_missing, after printing the
                                                   request to Tracker Support
       a config dir that is not yours              permission_denied, naming the path
  3    apriora activity push --report rep_1 --report rep_99
                                                   one item failed: report_not_found
       apriora interview generate --job 3101 --job 9999
                                                   one item failed: job_not_found
  4    apriora status --profile new                not_logged_in
       a Tracker API user refused                  tracker_user_not_found, tracker_user_inactive
       an Apriora key refused                      apriora_unauthorized
       apriora tracker applicants list --job 3101  tracker_rest_token_missing, with where
                                                   the admin generates one
       a locked keychain                           keychain_locked (never "not logged in")
  5    apriora tracker jobs show 9999              not_found
       https:// to a plain-HTTP server             tls_error, in one line
       Tracker down, retries exhausted             server_error, rate_limited, timeout,
                                                   network_error
  130  Ctrl-C during interview generate            interrupted
  143  SIGTERM during interview generate           interrupted (stopped like Ctrl-C)


SPECIAL CASES

  - Bulk runs: 0 when no item failed, 3 when some did (with every success still reported), 130
    on Ctrl-C (no new item starts, the ones under way finish and are reported; a second Ctrl-C
    exits at once). When the input itself fails, e.g. Tracker stops answering while the jobs are
    listed, the run exits with that error's code (usually 5) after reporting the items done.
  - "No" to a confirmation is exit 0 with nothing written. "No" to keeping a secret in a file
    when there is no OS keychain is exit 4: the login could not store it.
  - interview invite: a candidate skipped (no e-mail, no usable phone for a phone interview)
    or already invited is not a failure: exit 0.
  - apriora doctor exits 0 when no check failed (warnings are fine) and never 1: a check that
    cannot run is a failed check. When checks fail, the error is checks_failed, naming them, with
    the exit code of the first one in the report (2 setup missing: field map, activity type,
    Apriora's integration, clock; 4 credentials missing or refused, keychain; 5 a service that
    does not answer) and its fix as the hint; with --json the full report is in data too.
  - apriora status and apriora tracker status exit 4 when a side is not logged in or refused,
    and still print everything they found.
  - apriora activity listen exits 0 when stopped by Ctrl-C or SIGTERM, once the deliveries it
    acknowledged are pushed (failed pushes included: they are in its log); 130 on a second
    Ctrl-C, 143 on a second SIGTERM; 2 when it cannot start (no secret, no field map, port in
    use, another listener on the profile); 4 when not logged in.
  - apriora smoke: 0 when every step passed; 2 when refused (a profile not marked as a sandbox,
    not_a_sandbox, nothing written) or an input is missing (--job/APRIORA_SMOKE_JOB,
    --candidate/APRIORA_SMOKE_CANDIDATE); the failed doctor check's code when doctor fails; 5
    when a step failed remotely, the read-back differs (smoke_mismatch) or the --timeout budget
    ran out (smoke_timeout). See "apriora help ci".
  - apriora sandbox start exits 0 when stopped by Ctrl-C or SIGTERM; a port in use is exit 2.
  - Output piped into a reader that stops early (apriora tracker jobs list | head) is not an
    error: apriora stops quietly.
`;
