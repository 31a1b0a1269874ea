// `apriora help json`. Sources: src/cli/run.ts, src/cli/output.ts, src/cli/context.ts, src/cli/main.ts,
// src/cli/bulk.ts, src/errors.ts, and the `code:` of every error raised under src/; the shapes: src/commands/interview/invite.ts,
// src/commands/interview/invitations.ts, src/commands/tracker/applicants/list.ts, src/workflows/invite-candidates.ts.
export default `JSON OUTPUT

For scripts, every command can print JSON. stdout then carries only JSON; warnings, prompts,
progress and --debug traces go to stderr, as they do for people. Fields are only ever added to
these documents, never renamed or removed.


--json, --output json

Exactly one JSON document on stdout, also on failure:

  {"ok": true, "data": {...}, "warnings": ["..."]}
  {"ok": false, "error": {"code": "...", "message": "...", "hint": "..." or null,
                          "details": {...} or null}, "warnings": [...]}

error.code is a stable machine-readable string (list below); message and hint are for people.
warnings holds what a person would have seen as "Warning:" lines. A command that found something
before failing carries both data and error: a bulk run with failed items, apriora status and
apriora tracker status. "No" to a confirmation (a prompt shown on stderr while stdout carries
JSON) is exit 0 with {"ok": true, "data": {"declined": true, "written": false}}, with
--output ndjson too.

  apriora tracker jobs list --state all --json | jq '.data.count'
  apriora interview list --job 3101 --json | jq -r '.data.interviews[0].interviewUrl'


--output table|json|ndjson  (-o)

  table   the default, for people: tables and sentences on stdout. Control characters in
          values (an escape sequence in a job title) are shown as symbols such as ␛ and never
          act on the terminal; a table cell is one line. Fitted to a terminal (or COLUMNS),
          long cells are cut with …; piped without COLUMNS, or with --wide, nothing is cut.
          JSON keeps every value exact (JSON escapes control characters).
  json    the same as --json
  ndjson  one JSON object per line, as soon as it is ready, for long lists and bulk runs:
            tracker jobs list         one job per line
            tracker applicants list   one applicant per line
            interview list            one interview per line
            interview invitations     one invitation per line
            interview generate        one item per line, then a summary line
            interview invite          one item per line, then a summary line
            activity push             one item per line, then a summary line
          Other commands print their --json document.

--json with --output table or ndjson is exit 2. There is no envelope around ndjson lines. A list
stream (tracker jobs list, tracker applicants list, interview list, interview invitations) that
fails ends with one {"ok": false, "error": {...}} line; a failure before the first line (not
logged in, a bad flag) prints that document alone.

  apriora tracker jobs list --output ndjson | jq -r '.id'
  apriora activity push --since 24h --output ndjson | tail -n 1 | jq '.summary'

Two commands run until stopped and print as they go: apriora sandbox start --json prints one
document once it listens; apriora activity listen --json (or --output ndjson) prints one JSON
object per event (see "apriora help webhooks").


BULK RUNS: interview generate, interview invite, activity push

With --json, data holds:
  items     one entry per input item, in input order
  summary   {"total", "created", "exists", "updated", "skipped", "failed", "duplicate", "durationMs"}
  dryRun    true for --dry-run
  interview generate: also modality, and template ({"id", "name"} or null)
  interview invite:   also "job" ({"id", "title"}), "position" ({"id", "modality", "status"}),
                      "sendAt" (ISO 8601, or null: sent now) and "country" (of phone numbers
                      typed without a country code)
  activity push:      also activityType, and source ("report", "job", "since" or "candidate")

An item of interview generate:
  {"jobId", "title", "positionId", "interviewUrl", "status", "error"?}
An item of interview invite:
  {"candidateId", "email", "name", "phone", "invitationId", "interviewLink", "sendAt",
   "activityId", "activity", "status", "reason"?, "error"?, "duplicates"?}
    candidateId    the Tracker candidate id (null when an e-mail matched no candidate)
    phone          the E.164 number sent to Apriora (+16175550110), phone interviews only
    invitationId   Apriora's invitation, created now or found (null when none was reached)
    interviewLink  the candidate's link, when Apriora gave or listed it (null when not known)
    sendAt         when this run asked Apriora to send it (--send-at, --delay; ISO 8601), or
                   null: now, or (exists) as first asked; "interview invitations" shows the
                   invitation's status
    activityId     the invitation's "Apriora Interview" activity in Tracker
    activity       "created" (written now), "exists" (found by its marker, whatever its
                   status), or null (none reached)
    reason         on skipped items only: {"code", "message"}, code no_email (the Tracker
                   candidate has no e-mail), no_phone (a phone interview, and none of the
                   cell, work and home numbers is usable; the message shows them) or
                   already_interviewed (never invited, but took the interview: its report
                   is in Tracker)
An item of activity push:
  {"reportId", "candidateEmail", "trackerCandidateId", "candidateCreated", "jobId", "subject",
   "activityId", "status", "error"?, "duplicates"?}
    activityId     the "Apriora Interview" activity created, updated or found: an invited
                   candidate's report completes the invitation's activity (same id, "updated");
                   null when none is known yet (a failure, or a dry run's new activity)

With --output ndjson each item is one line, in the order the items finish, and the last line is
the summary, with an error member when the run did not succeed:

  $ apriora interview generate --job 3101 --job 9999 --output ndjson
  {"jobId":9999,"title":null,...,"status":"failed","error":{"code":"job_not_found",...}}
  {"jobId":3101,"title":"Registered Nurse - ICU","positionId":"pos_1",...,"status":"exists"}
  {"summary":{"total":2,...,"failed":1,...},"error":{"code":"partial_failure",...}}

The summary's error code is partial_failure (exit 3), interrupted (exit 130), or the code of the
failure that stopped the input (e.g. Tracker no longer answering while listing jobs).

Item statuses:
  created   interview generate: no interview was linked to the job, one was created.
            activity push: the report's activity was created (and the candidate, when Tracker
            had none with that e-mail: candidateCreated is true).
            interview invite: the candidate was invited now, and the invitation recorded in
            Tracker as a "Not Started" activity (activity "created").
  exists    interview generate: an interview is linked to the job already; nothing written.
            interview invite: the candidate is invited already: the interview's activity is in
            Tracker (nothing is sent or written), or Apriora answered 409 already_invited (its
            activity is then written, activity "created").
  updated   interview generate --update: its title and description were refreshed.
            activity push: the activity no longer said what the report says; rewritten.
  skipped   activity push: the activity already says what the report says; nothing written.
            interview invite: not invited, see "reason" (no_email, no_phone,
            already_interviewed); not a failure.
  failed    this item failed, with "error": {"code", "message"}; the other items go on.
  duplicate activity push: Tracker holds the report's activity (or, read back after creating
            it, the candidate's e-mail) twice, e.g. written by another machine at the same time.
            interview invite: Tracker holds the interview's activity twice.
            "duplicates" holds the ids ({"activityIds"} or {"candidateIds"}, oldest first) and
            "error" says what to do. Exit 3, as for failed.

In a dry run (--dry-run) nothing is written and each item has the status it would get; tables say
"would be created" and "would be updated". A job that would get an interview has no positionId
yet, and a candidate who would be created has no trackerCandidateId; interview invite sends
nothing ("would be invited") and its activity "created" means one would be written.


LISTS: tracker applicants list, interview invitations

tracker applicants list --json: data {"jobId" (null with --all-open), "applicants", "count"}.
An applicant (one application of a candidate to a job, read through Tracker's REST API):
  {"applicationId", "jobId", "jobName", "candidateId", "name", "email", "statusId", "status",
   "active", "source", "appliedAt", "updatedAt"}
    email      "" when the candidate has none
    status     the pipeline status (Applied, Shortlisted, ...); statusId its Tracker id or null
    active     false for a withdrawn or removed application (listed with --include-inactive)
    appliedAt  ISO 8601 or null; updatedAt likewise

interview invitations --json: data {"jobId", "positionId" (both null without --job),
"invitations", "count"}, newest first. An invitation, as Apriora gives it:
  {"invitationId", "positionId", "candidateId", "email", "status", "interviewLink",
   "createdAt", ...}
    candidateId  Apriora's candidate id (the Tracker candidate id is "externalCandidateId", among
                 the other fields Apriora sends, passed on as they come)
    status       scheduled, sent, started, completed or expired
    createdAt    Unix seconds, or null


ERROR CODES

By exit code (see "apriora help exit-codes"):

  1    internal_error
  2    usage_error (flags and arguments), invalid_input (any other bad value), missing_value,
       empty_stdin, invalid_job_id, invalid_csv, unreadable_file, invalid_profile_name,
       invalid_profile, invalid_config, secret_in_config, corrupt_credentials_file,
       field_map_missing, field_map_invalid, field_map_ambiguous, unknown_field,
       wrong_association, duplicate_field, activity_type_missing, fields_missing,
       tracker_credentials_missing, unknown_template, apriora_invalid_input,
       apriora_report_filter_missing, listener_running, port_in_use, invalid_seed,
       credentials_in_url, insecure_credentials_file; interview invite's job and candidates:
       job_not_found, job_not_open, no_interview, position_closed, invalid_position_id,
       invalid_candidate, no_candidates, unknown_status (--status: not a pipeline status of
       the database; the hint lists them); the machine in the way: permission_denied,
       read_only_file_system, not_a_directory, is_a_directory, disk_full, too_many_open_files,
       io_error, address_not_available, host_not_found, invalid_port; smoke: not_a_sandbox,
       invalid_id, candidate_not_found (and job_not_found)
  3    partial_failure
  4    not_logged_in, tracker_user_not_found, tracker_user_inactive, tracker_http_auth,
       apriora_unauthorized, apriora_forbidden, apriora_no_key, tracker_rest_token_missing,
       tracker_rest_token_rejected, tracker_rest_unauthorized, keychain_unavailable,
       keychain_locked, keychain_error
  5    not_found, server_error, rate_limited, timeout, network_error, unexpected_response,
       paging_stuck, remote_error, tracker_invalid_request, tracker_record_exists,
       tracker_unknown_status, tracker_http_error, tracker_rest_http_error, apriora_http_error,
       conflict, tls_error; smoke: smoke_mismatch, smoke_timeout, smoke_activity_missing; an
       Apriora answer that carries its own code (e.g. position_exists) keeps that code
  130  interrupted

Item errors (in items, and on the item lines of ndjson; the run exits 3): job_not_found,
report_not_found, candidate_not_found, candidate_email_missing, tracker_candidate_unresolved,
field_value_invalid, position_unresolved, write_lock_busy, write_ledger_unusable, read_back_failed,
internal_error; from Apriora for an invitation: phone_required, invalid_phone, invalid_email,
position_closed; or any code above from the call that failed; on a duplicate item:
duplicate_activity, duplicate_candidate.

What activity listen answers to HTTP requests has codes of its own: see "apriora help webhooks".
`;
