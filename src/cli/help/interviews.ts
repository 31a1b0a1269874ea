// `apriora help interviews`. Sources: src/commands/interview/generate.ts, src/commands/interview/invite.ts,
// src/workflows/generate-interviews.ts, src/workflows/invite-candidates.ts, src/workflows/job-position.ts, src/workflows/jobs.ts,
// src/cli/jobs-input.ts, src/cli/bulk.ts.
export default String.raw`FROM TRACKER JOBS TO APRIORA INTERVIEWS

"apriora interview generate" creates the Apriora interview (a position, in Apriora's API) of each
Tracker job: one per job, never two. It is built to be run again and again, by hand, from cron or
from CI, on a handful of jobs or on tens of thousands.

  apriora interview generate --all-open --dry-run
  apriora interview generate --all-open
  apriora interview generate --all-open --updated-after 24h     # daily: new and changed jobs
  apriora interview generate --job 3101 --job 3102
  apriora interview generate --jobs-file jobs.csv --template "Nurse phone screen"
  printf '3103\n3104\n' | apriora interview generate --jobs-file - --json


WHICH JOBS

Exactly one of:
  --job ID            a Tracker job id; repeat it for more
  --jobs-file PATH    one id per line (blank lines and # comments skipped), or a CSV with a job_id
                      column; "-" reads stdin
  --all-open          every open job of the database; with --updated-after DATE only those
                      updated since then (2026-11-01, an ISO date-time, or 30m, 24h, 7d, 2w back
                      from now)

A jobs file is read as a stream, so its size does not matter: a first pass checks every line and
counts the ids, so that a malformed id or file is exit 2 naming the line (jobs.txt:3) before
anything is written; the run then reads it again. stdin is read once, as it comes: a bad line
stops the run with exit 2 naming it (stdin:3), after the jobs before it are reported; running
the command again is safe. No id at all (an empty file, only comments, an empty pipe) is exit 2
naming the input. Files are UTF-8, or UTF-16 with its byte order mark (as Excel and Notepad save
it); anything else is exit 2 asking to save the file as UTF-8. A repeated id is processed once,
with a warning (ids are remembered compactly; only past hundreds of thousands of widely
scattered ids may a repeat be processed again, and it is then reported as exists). --updated-after without --all-open is exit 2.

--all-open reads the jobs page by page, 100 a request, and the pages carry the descriptions.
More than 20 ids (--job, or a --jobs-file) are read from pages too: Tracker's list of every job,
sorted by id, from the page of the lowest id to the page of the highest (a few requests find the
first one in a large database), the jobs of each page kept until their turn in the input. A job
is read on its own, one request, only when no page showed it (an id Tracker does not know, a job
the list does not show yet) or when the ids are too far apart for pages to pay: 1,000 ids of a
1,100-job database take 11 requests, not 1,000. Up to 20 ids, and ids from stdin, are read one
request each. Tracker requests go at the profile's rate limit (90 a minute unless tracker login
--rate-limit said otherwise). When the pages and single reads that the ids take (assuming every
id exists) come to more than 10 minutes at that rate (900 single reads at 90 a minute), the
command warns with the estimate and, on a terminal, asks first (--yes does not ask). For stdin,
whose length is not known in advance, there is no estimate. Ids given explicitly are processed
whatever the job's status, closed jobs included; an id Tracker does not know is a failed item
(job_not_found).


WHAT APRIORA RECEIVES

  title           the job's title, without Tracker's reference ("JOB-3101 ")
  description     the job description as plain text (Tracker keeps HTML); when it is empty,
                  "<title> at <client> in <location>"
  modality        phone or video: --modality, else the template's, else the profile's default
                  (apriora login --modality); none of them: asked at a terminal, else exit 2
  template        --template, an Apriora interview template by id or by name (any case); an
                  unknown one is exit 2 listing the templates, one whose modality differs from
                  --modality is exit 2
  creation notes  "Tracker job <reference> (id <id>)", then the client, type, pay rate and start
                  date when Tracker has them, then --notes
  location        the job's location, else city and state
  link            externalSource "tracker" and externalId "<job id>": the job the interview
                  belongs to


ONE INTERVIEW PER JOB

Before creating, the command looks for the interview already linked to the job: with --all-open
or more than 20 ids it reads every Tracker-linked interview once (about one request per 100),
otherwise one lookup per job (from stdin: one lookup for each of the first 20, then the one
read of them all). Each job ends as:

  created   no interview was linked to the job: one was created
  exists    an interview is linked to the job: reported as it is, nothing written
  updated   with --update: the linked interview's title and description were refreshed
  failed    this job failed; error.code and error.message say why; the other jobs go on

Never duplicated, also when runs overlap (two terminals, a cron job meeting a manual run):
Apriora refuses a second interview for the same job (409 position_exists) and the run reports
the existing one as exists (or updated, with --update). A create whose answer was lost (a
timeout, a dropped connection, a 5xx) may still have been made: it is checked with a read before
it is tried again (up to 3 attempts) and before the job is reported failed, so a job reported
failed has no interview. A check that cannot be read is tried again a few seconds later; if it
still fails, the job is failed with write_unconfirmed, and running the command again finds what
was made.


RUNNING IT

  --dry-run          looks everything up and writes nothing: each job shows the status it would
                     get ("would be created", "would be updated", "exists")
  --concurrency N    jobs processed at once, 1-32 (default 4)
  --yes              on a terminal, for a profile that is not a sandbox, the command asks before
                     writing; --yes (or --dry-run, or no terminal) does not ask. A run estimated
                     above 10 minutes asks on a terminal also with --dry-run; --yes does not

Exit 0 when every job is created, exists or updated; 3 when some failed: fix the cause and run the
same command again, what is done is found and not repeated. Ctrl-C (exit 130): no new job starts,
the jobs under way finish, what was done is reported; a second Ctrl-C exits at once.

Output: a table and a summary line for people, with a progress line on stderr on a terminal;
with --json one document (items in input order, summary, modality, template); with --output
ndjson one line per job as it finishes, then a summary line. See "apriora help json".

"apriora interview list" lists the interviews linked to Tracker jobs, "apriora interview show"
one of them (by position id, or --job).


INVITATIONS

Once a job has its interview, "apriora interview invite" invites candidates to it: the job's
applicants (--applicants, read through Tracker's REST API: log its token in with tracker login
--rest-token-stdin), or --candidate ID|EMAIL, or --candidates-file PATH; now, or --send-at DATE /
--delay 30m. Each candidate is invited once (again: exists), and the invitation is recorded in
Tracker as the interview's "Apriora Interview" activity, "Not Started"; when the report is pushed
(activity push, activity listen) that same activity is completed with the four fields. A phone
interview needs a usable phone number (normalised to E.164 in the profile's country): a candidate
without one, or without an e-mail, is skipped with the reason. The job must be open and have its
interview (else exit 2, naming interview generate). Bulk behaviour, --dry-run, --concurrency and
exit codes are those of interview generate above.

Nobody is invited twice, nor invited to an interview they took: a candidate whose interview
activity is in Tracker is "exists" (nothing sent), and one with a report for the position in
Apriora, pushed or not, is skipped (already_interviewed). Two Tracker records sharing an e-mail
get one invitation: the second record is "duplicate" (duplicate_candidate), to be merged in
Tracker. Ctrl-C stops before any further invitation is sent, and an invitation already sent is
still recorded; a second Ctrl-C stops at once, and may leave invitations sent but not yet
recorded in Tracker: the next run records them (they come back "exists").

  apriora tracker applicants list --job 3101
  apriora interview invite --job 3101 --applicants --dry-run
  apriora interview invite --job 3101 --applicants --delay 30m
  apriora interview invitations --job 3101
`;
