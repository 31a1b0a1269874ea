// `apriora help results`. Sources: src/commands/activity/push.ts, src/workflows/push-activity.ts,
// src/workflows/activity-content.ts, src/workflows/invite-candidates.ts, src/apriora/partner.ts (report link).
export default `RESULTS IN TRACKER

When a candidate completes an Apriora interview, Apriora has a report: score, feedback, question
summaries, tags and grading criteria. "apriora activity push" (in bulk) and "apriora activity
listen" (as Apriora's webhooks arrive, see "apriora help webhooks") write each report into
Tracker as one activity on the candidate, never two. The activity itself carries the report's
id: Tracker is the record of what was pushed (the write ledger below only helps this machine's
processes agree on what they have just written).

Both need apriora tracker login, apriora tracker fields map (else exit 2 field_map_missing) and
apriora login.


WHICH REPORTS (activity push)

Exactly one of:
  --report ID          an Apriora report id; repeat it for more (a repeated id is pushed once,
                       with a warning)
  --job JOB_ID         every report of the interview linked to this Tracker job
  --since WHEN         every report of the Tracker-linked interviews completed since then
                       (2026-11-01, an ISO date-time, or 30m, 24h, 7d, 2w back from now); one
                       Apriora request per linked interview
  --candidate EMAIL    every report of the Apriora candidate with this e-mail (any case)

A job without an interview, or an e-mail Apriora does not know, is a warning and no reports.

  apriora activity push --since 7d --dry-run
  apriora activity push --since 24h          # daily, as a safety net next to activity listen
  apriora activity push --report rep_12 --output ndjson


THE CANDIDATE

Found by the e-mail of Apriora's candidate. Tracker's checkPerson says whether a candidate has
that e-mail, but not which one; the candidates named as checkPerson names that person (or as
Apriora does) are read, and the one whose e-mail matches, ignoring case, is used. When Tracker
knows the e-mail but none of those candidates has it, the report fails with
tracker_candidate_unresolved rather than guess.

When Tracker has no candidate with that e-mail, one is created: first and last name and e-mail
from Apriora, source "Apriora", on the long list of the interview's Tracker job. A candidate
Tracker already has is left as it is (not added to the job's list). Two reports of the same new
candidate in one run create one candidate; a candidate someone else created meanwhile is found
and used; a create whose answer was lost is looked up before it is tried again.


THE ACTIVITY

One per report, linked to the candidate, of the profile's activity type (tracker fields map
--activity-type, default "Apriora Interview"), status "Completed", dated when the interview was
completed (UTC):

  Subject           Apriora Interview: <job title> — <score>/100 [apriora:<reportId>]
                    [apriora:<positionId>/<trackerCandidateId>] (at most 255 characters: a long
                    job title is cut with an ellipsis, never a marker)
  Note              the job title, the overall score, the report link (and the PDF link when it
                    is not the report link), each question with its summary, the tags (name:
                    value — evidence), and [apriora:<reportId>] as the last line
  Overall Score     the report's overall score, e.g. 94
  Report link       the report's PDF when it is an http(s) link that fits the field, else
                    https://app.apriora.ai/reports/<reportId> (a PDF link that is too long then
                    goes into the note; a javascript: or other non-http link is never used)
  Grading Criteria  one "Name: score — feedback" line per skill (n/a for a skill without score)
  Feedback          the report's overall feedback

The four fields go to the customfield ids of the profile's field map (apriora tracker fields
map; in the sandbox 448, 449, 450 and 451). Scores in the subject and the note are rounded to one
decimal.

Every value must fit its Tracker field, whose type tracker fields map saves with the map: a Text
field holds 255 characters, a Number field a number, a Date field a date, a Memo field any text
(a profile mapped before types were saved counts every field as Text: map again to record them).
A report with a value that does not fit fails with field_value_invalid before anything is
written, candidate included. Text from Apriora reaches Tracker without control characters
(multi-line fields keep their line breaks and tabs).


ONE ACTIVITY PER INTERVIEW

"apriora interview invite" records each invitation on the candidate as the interview's activity:
status "Not Started", subject "Apriora Interview: <job title> — invited
[apriora:<positionId>/<trackerCandidateId>]", a note with the job, the interview link and that
marker, and the four fields empty. It writes none when an activity with the interview's marker
exists, whatever its status.

When the candidate's report for that interview (position) is pushed later and no activity
carries the report's marker yet, the push completes that same activity instead of creating one:
subject with both markers, status "Completed", note and the four fields from the report (the
item's status is updated). A report without an invitation activity gets a new activity, which
carries both markers too, so a later invite of the same candidate writes nothing. An activity
already completed by another report of the same interview is left alone: the new report gets
its own activity.


NEVER TWICE

The marker [apriora:<reportId>] in the subject (and in the note) ties the activity to its
report. Before writing, the push looks for an activity carrying the marker, on this candidate
first, else anywhere (the e-mail may now belong to another candidate record), the oldest if
there are several:

  none                                       created
  one that says what the report says         skipped (nothing written)
  one that differs (subject, note or one     updated: subject, note, status and the four
  of the four fields, e.g. edited in         fields rewritten from the report; edits made in
  Tracker)                                   Tracker to those are undone

Line endings and trailing blanks do not count as differences. A create whose answer was lost is
checked with a read before it is tried again. Do not remove the marker from an activity's
subject: the next push would create a new activity.

On one machine, pushes of the same report never overlap, whatever runs them (two activity push
runs, the listener and a push, of one profile or of two profiles of the same Tracker database):
the look-up and the write of a report, and the creation of a candidate for an e-mail, take a
write lock of the database under the data dir (locks/, 0700); the look-up that decides is the one made once the lock is held. The look-up of
an interview's activity and its write (by a push, inside the report's lock, or by interview
invite) take the interview's lock, so an invite and a push of the same interview never both
create one. A lock left by a
killed process is taken over after 10 s. A push that waits over 3 minutes for a lock fails with
write_lock_busy (run it again).

Across machines no lock reaches, so every create is read back: if Tracker then holds two
activities with the report's marker (or two candidates with the e-mail), the item's status is
duplicate, with every id in "duplicates" ({"activityIds"} or {"candidateIds"}, oldest first) and
error.code duplicate_activity or duplicate_candidate, and the run exits 3. Pushes use the oldest
(they update it), and keep reporting the report as duplicate until the others are deleted in
Tracker. Run the writers of one profile on one machine to avoid this.

Many reports at once (10 or more in one push, and the listener) cost far fewer Tracker
requests: the marked "Apriora Interview" activities and the candidates are read in list pages of
100 into an index, when that is cheaper than looking each report up (a handful of reports are
looked up one by one, as above). The look-up under the lock then comes from the index, checked
against a ledger beside the locks (locks/<database>/ledger/, 0700, 0600 files named by a hash,
entries kept a day or two) in which every process of the machine records what it writes, under
the lock, before releasing it: a report, e-mail or interview written since the index was read is
looked up in Tracker again. An e-mail the index does not know is created at once (Tracker refuses
a second candidate with an e-mail). Creates are read back together, by one read of the newest
activities (and candidates) for up to 50 of them, so such a run reports its items in groups; a
double found then is reported as duplicate as above (for a candidate, the activity is on the one
this push created, which the message names). Should that read fail, or Tracker not answer it
newest first, each create is read back on its own (by its marker, or by e-mail); should that fail
too, the item fails with read_back_failed: it was written, and running the push again finds it.
Re-pushing reports already in Tracker costs the
pages only (plus one read per report where Tracker's list rows carry no note). The pages read
are capped at two per report (at least 20), and the page just past the cap is asked for first: on
a database with more candidates than that reaches, that one request is all the index costs and
each report's candidate is looked up as above. The ledger
may be deleted while no push, invite or listener runs; it holds one small file per record
written, and days older than yesterday are removed as processes open it.

A failed report does not stop the others: it has status failed and error.code
report_not_found, candidate_not_found, candidate_email_missing, tracker_candidate_unresolved,
field_value_invalid, write_lock_busy, or a Tracker or Apriora error. Exit codes, Ctrl-C,
--dry-run (a candidate who would be created shows as "new", without an id), --json and
--output ndjson work as for
interview generate: see "apriora help interviews" and "apriora help json".
`;
