// `apriora help api`. Sources: src/tracker/ (widget.ts, client.ts, hosts.ts, schemas.ts), src/apriora/client.ts,
// src/apriora/schemas.ts, and src/apriora/partner.ts, which holds every assumed detail of Apriora's API.
export default `THE TRACKER AND APRIORA APIS

The contract this tool assumes of both services, in two parts each: CONFIRMED (stated in the
service's own documentation) and ASSUMED (not documented: seen in public third-party code, or
this tool's working assumption, to be corrected once the service says otherwise). Every assumed
detail of Apriora's API lives in one module, src/apriora/partner.ts.


TRACKER RMS

Tracker's own names: Opportunity = job, Resource = candidate, Activity = a logged event (call,
interview, note) shown on the candidate, job and home pages.

CONFIRMED

  Credentials   The customer gets an API Key, an API Username (an e-mail) and an API Password
                from Tracker Support: Widget API credentials. The Widget API is frozen since July
                2025 (it works, but gets no new features); Tracker's REST API v1 exists and is
                not used by this tool.
  Hosts         one per data centre:
                  us  https://evoapius.tracker-rms.com
                  ca  https://evoapica.tracker-rms.com
                  uk  https://evoapi.tracker-rms.com   (UK and the rest of the world)
  Envelope      POST <host>/api/widget/<op>, JSON:
                  {"trackerrms": {"<op>": {"credentials": {"username", "password", "apikey",
                   "oauthtoken": ""}, "instructions": {...}, ...}}}
                The answer is HTTP 200 with {"status", "message", "count", ...}, and the status
                in the body decides, not the HTTP code:
                  0   success
                  1   user not found      -> exit 4, tracker_user_not_found
                  2   user not active     -> exit 4, tracker_user_inactive
                  3   the record exists and may not be overwritten (tracker_record_exists)
                  99  invalid request     -> exit 5, tracker_invalid_request
                HTTP 5xx, 429 and network errors happen as well.
  Record types  O job, R candidate, A activity (also C client, N contact, L lead, P project,
                T ticket, X placement)

  The operations used:
  checkLogon           the credentials are valid (tracker login, tracker status, tracker
                       connect, status)
  getSettingsData      naming conventions ("Jobs are called"), activity types (taskTypes) and
                       custom fields ({Association, Id, Name, Type}): tracker fields list/map
  getRecords           lists: jobs (recordtype O, state open / closed / "" for all, sorted by
                       id), candidates (R, by name), activities (A, with includecustomfields).
                       Paging: numrecords per page, pagenum from 0; count is the size of this
                       page only, so reading stops at the first short page. updatedafter is
                       "YYYY-MM-DD HH:MM:SS" (this tool sends UTC). searchtext matches names.
  getIndividualRecord  one job (tracker jobs show; interview generate by id), one activity
  checkPerson          whether a person with this e-mail exists, and of which kinds
                       (recordTypes, e.g. "CRU"), with the first match's full name; no record id
  createResource       a new candidate, instructions assigntoopportunity and assigntolist
                       "long"; status 3 when the e-mail exists and overwriting was not asked for
  createActivity       {"activity": {subject, type (the type's name), date "YYYY-MM-DD", time
                       "hh:mm AM", status, note, linkRecordType "R", linkRecordId}} with
                       "customfields": [{id, value}] beside "activity"; the answer carries no
                       activity id
  Custom activity types and their custom fields are created by Tracker Support; no API call
  creates them ("apriora tracker support-request custom-activity" prints the request).

ASSUMED

  Rate limit    no published limit; integrators report about 100 requests a minute per
                database. This tool keeps to 90 a minute per process (tracker login
                --rate-limit changes it), honours Retry-After, and backs off with jitter.
  Pages         at most 100 rows per getRecords page; this tool asks for 100.
  Basic auth    a public SDK also sends Authorization: Basic <username:password> on
                createActivity, resourceApplication and getSettingsData; so does this tool.
  Activities    list rows carry details {activityid, subject, resourceid, ...} (observed);
                whether they carry the note is not documented, so a row without one is read
                with getIndividualRecord.
  updateRecord  {"instructions": {recordtype "A", recordid}, "updates": [{column, value}],
                "customfields": [...]}, with Tracker's column names subject, note and
                taskstatus (observed).
  Field groups  the Association of activity custom fields is not documented: the activity
                fields are the ones of an association named like "activity" or "task", else of
                the one holding most of the four names, and tracker fields map shows it.
  Name search   searchtext is likely an SQL LIKE, where [ ] is a character class: activities are
                searched for "apriora:<reportId>" and the exact marker checked on each row.
  Job names     a job's list name may carry Tracker's reference ("JOB-3111 Senior Nurse").
  Candidates    the id of the candidate with an e-mail comes from checkPerson (is there an R,
                and its full name) followed by getRecords R by that name, keeping the row whose
                e-mail matches.


APRIORA

Apriora calls a job with an AI interview a position; a candidate takes a phone or video
interview, and once it is evaluated there is a report.

CONFIRMED (Apriora's public API reference)

  Base URL      https://api.apriora.ai/v1/api, header X-API-Key: <key> on every call
  Format        lists are JSON arrays; timestamps are Unix seconds
  GET /reports?reportId=&positionId=&candidateId=
                at least one filter (reportId wins); an array of {reportId, candidateId,
                positionId, overallScore (0-100), overallFeedback, questionSummary [{question,
                summary}], tags [{name, value, evidence}], skills [{name, score, feedback}],
                timeCompleted, videoUrl, pdfUrl}
  GET /candidates?email=&candidateId=&positionId=
                an array of {candidateId, email, firstName, lastName, resumeUrl}
  Webhooks      Apriora POSTs {"event", "data": {"candidateId", "candidateEmail", "reportId",
                "positionId", "time"}} to the URL set in its web app; events session.started,
                session.paused, session.ended and session.completed, which means the report is
                ready

ASSUMED (the partner endpoints Apriora's web app uses, not publicly documented)

  Errors        non-2xx answers carry {"error": {"code", "message"}}: 401 a bad key
                (apriora_unauthorized, exit 4), 403 not allowed for this key
                (apriora_forbidden, exit 4), 404 not found, 409 a conflict naming the existing
                record, 422 an invalid body (apriora_invalid_input, exit 2), 429 with
                Retry-After, 5xx
  Paging        partner lists take limit (at most 100) and offset
  GET /templates
                [{templateId, name, modality}]; also the call that checks a key (login, status)
  POST /positions
                {title, description, modality "phone" | "video", externalSource "tracker",
                externalId "<Tracker job id>", templateId?, creationNotes?, location?} -> 201
                Position; 409 {"error": {"code": "position_exists", "positionId"}} when that
                job is linked already
  GET /positions?externalSource=&externalId=&limit=&offset=
  GET, PATCH /positions/{positionId}
                PATCH {title?, description?, status?}
                Position = {positionId, title, modality, status "draft" | "active" | "closed",
                externalSource, externalId, interviewUrl, createdAt}
  GET, PATCH /integrations/tracker
                {hasCredentials, region, username, activityType, activityFields
                {overallScore, reportLink, gradingCriteria, feedback} (Tracker customfield ids),
                automations}; PATCH takes write-only credentials {apiKey, username, password,
                region}, which Apriora never returns (tracker connect)
  Report link   https://app.apriora.ai/reports/<reportId> when a report has no http(s) pdfUrl
                or one too long for the Report link field
  Signature     Apriora-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
                "<t>.<raw body>")>; a signature more than 300 s away from now is refused; the
                secret is shared out of band (see "apriora help webhooks")

Not used by any command yet: invitations (POST and GET /invitations) and the automations of
Apriora's Tracker integration.
`;
