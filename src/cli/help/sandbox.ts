// `apriora help sandbox`. Sources: src/commands/sandbox/start.ts, src/commands/sandbox/complete.ts,
// src/commands/sandbox/apply.ts, src/sandbox/ (server.ts, admin.ts, faults.ts, credentials.ts, tracker/seed.ts,
// tracker/ops-read.ts, tracker/ops-write.ts, tracker/seed-applicants.ts, tracker/rest-api.ts, apriora/api.ts, apriora/state.ts,
// apriora/webhook.ts), src/http/client.ts (the client side of faults), tracker/widget.ts and tracker/protocol.ts (how strict
// the Widget API is).
export default String.raw`THE SANDBOX

"apriora sandbox start" serves three emulators on one local port, until Ctrl-C or SIGTERM, and
prints their URLs and credentials (the commands' flags: apriora sandbox start --help):

  Tracker's Widget API    <url>                  default http://127.0.0.1:4010
  Tracker's REST v1 API   <url>/tracker-rest
  Apriora's API           <url>/apriora/v1/api
  admin endpoints         <url>/__sandbox

The Tracker emulator answers the Widget API contract to the letter (in-body statuses inside HTTP
200, error bodies, field names: see "apriora help api"), so a command that works against it
works against Tracker. No network, no keychain: everything lives in memory and is gone when the
sandbox stops.

Where Tracker's documentation is silent, the sandbox takes the stricter reading (Tracker
validates on a SQL Server database: wrong types, unknown columns and dangling links fail), so
that what passes here passes there:

  updateRecord      only Tracker's column names: candidates (R) firstname, surname,
                    preferredname, email, email2, mobilephone, homephone, workphone, jobtitle,
                    town, county, postcode, country, linkedin, source, note, availability,
                    resourcestatusid; jobs (O) opportunityname, description, location, city,
                    state, salarypayrate, feebillrate, startdate, enddate, opportunitystatusid;
                    activities (A) subject, note, taskstatus, priority, contacttype, startdate
                    (YYYY-MM-DD), starttime (hh:mm AM), activitytype (an exact type name).
                    Anything else (lastname, cellphone, city or zipcode on a candidate; date or
                    time on an activity) is 99 "Invalid column name '<x>'." and nothing is
                    written. Other record types are 99.
  getRecords        every record type: C clients, N contacts, X placements (applicants at
                    Placed), O, R, A; L, P and T answer 0 with no rows (the sandbox holds no
                    leads, projects or tickets). Any other letter is 99.
  getIndividualRecord
                    L, O, P, T, A, R only (C, N, X are 99); L, P, T find nothing (count 0).
  createActivity    type is a taskTypes name in its exact case ("call" is 99); a link is
                    required: linkRecordType C, N, L, O, P, T or R with the id of a record that
                    exists (none, "", or a dangling id is 99).
  createResource    status empty (the first resourceStatuses entry) or a resourceStatuses name
                    in its exact case; any other is 99.
  resourceApplication
                    a candidate with any row on that job (either list, withdrawn too) is 3,
                    "Record found and cannot be overwritten.": nothing moves.
  getSettingsData   also lists accessRights, leadStatuses, leadSources, opportunityWorkTypes,
                    projectStatuses, departments, ticketTypes, ticketStatuses and userTeams.

  --port N          default 4010; 0 picks a free port
  --host HOST       default 127.0.0.1
  --seed FILE       a JSON Tracker database to start from, instead of generated data
  --jobs N          number of generated jobs (not with --seed)
  --latency MS      delay every answer
  --fail-rate R     probability (0-1) that a request meets an injected fault
  --faults KINDS    the kinds --fail-rate picks from, comma-separated: 5xx, 429, reset,
                    after-commit (default 5xx,429,reset)
  --rate-limit N    Tracker answers 429 with Retry-After beyond N requests a minute (Apriora is
                    not limited)

With --json it prints one document as soon as it listens: {"ok": true, "data": {"trackerUrl",
"trackerRestUrl", "aprioraUrl", "adminUrl", "credentials": {"apiKey", "username", "password",
"aprioraApiKey", "restToken"}, "jobs", "faults"}}, then serves.


CREDENTIALS

  Tracker API Key       sandbox-api-key-0000
  Tracker API Username  api.user@sandbox.example
  Tracker API Password  sandbox-password
  Tracker REST token    sandbox-rest-token-0000    (exchanged for a JWT; TRACKER_REST_TOKEN)
  Apriora API key       sandbox-apriora-key-0000   (header X-API-Key)

"--sandbox" at login marks the profile as a sandbox (writes need no confirmation) and points it
at http://127.0.0.1:4010 (tracker login) or http://127.0.0.1:4010/apriora/v1/api (login), unless
a flag, the environment or a base URL saved in the profile names another host. The sandbox's
secrets are public: --insecure-storage keeps them in a 0600 file, so the logins below work on a
machine without an OS keychain too.


A WHOLE RUN

  apriora sandbox start &
  until curl -fs http://127.0.0.1:4010/__sandbox/health >/dev/null; do sleep 0.2; done
  printf '%s\n%s\n%s\n' sandbox-api-key-0000 sandbox-password sandbox-rest-token-0000 | \
    apriora tracker login --sandbox --insecure-storage --username api.user@sandbox.example \
    --api-key-stdin --password-stdin --rest-token-stdin
  apriora tracker fields map --auto
  printf '%s\n' sandbox-apriora-key-0000 | apriora login --sandbox --insecure-storage \
    --api-key-stdin --modality phone
  apriora tracker connect
  apriora interview generate --all-open --concurrency 1    # pos_1 ... pos_9 in job order
  apriora interview invite --job 3101 --applicants         # a "Not Started" activity each
  apriora sandbox complete --position pos_1 --email olivia.bennett@example.com
  apriora sandbox complete --position pos_2 --email grace.hopper@example.com \
    --first-name Grace --last-name Hopper
  apriora activity push --since 24h

"npm run demo" runs the same guide on a throwaway profile, config dir and sandbox.


THE TRACKER DATABASE

Generated by default: 12 jobs (9 open, 1 won, 2 closed: --jobs N keeps that pattern), 20
candidates, their applications and activities, clients, contacts and users, the "Apriora
Interview" activity type with its four custom fields (Overall Score 448, Report link 449,
Grading Criteria 450, Feedback 451), and look-alike fields of the same names on candidates, jobs
and contacts. A seed file has the format of the "tracker" part of GET /__sandbox/state:

  curl -s http://127.0.0.1:4010/__sandbox/state | jq .tracker > seed.json
  apriora sandbox start --port 4020 --seed seed.json

Applications (applicant rows) carry a pipeline status (getSettingsData's
opportunityResourceStatuses: Applied 1, Shortlisted 2, Interview 3, Offered 4, Placed 5,
Rejected 6) and an active flag. The first open job, 3101, shows every case: Applied candidates
with phones typed as "(617) 555-0110", "617.555.0134", "07700 900123", "ext 12" or none, one
without an e-mail, a withdrawn (inactive) row, a Shortlisted one; Olivia Bennett has applied to
3101 and 3102. resourceApplication and createResource with assigntoopportunity add rows
(Applied on the long list, Shortlisted on the short). A bulk database for benchmarks:
"extraApplicants" rows (each a new candidate) spread over the jobs, "jobApplicants" filling
given jobs, e.g. job 3102 with 50 applicants among 2,000 rows:

  curl -s -X POST http://127.0.0.1:4010/__sandbox/reset \
    -d '{"generate": {"extraApplicants": 1914, "jobApplicants": {"3102": 50}}}'


WHERE THE WIDGET API IS STRICT

Tracker validates on a SQL Server back end, so where the contract is silent the emulator takes
the stricter reading: a request it accepts works against Tracker.

  credentials        apikey alone acts as the system administrator (the user the key was
                     issued with); username + password act as that user; all three must each
                     match when sent. The username is an e-mail (any letter case), the password
                     exact. A non-empty oauthtoken fails (the sandbox issues none). Status 1;
                     an inactive user is status 2.
  Authorization      optional; when sent it must be Basic base64(username:password) of the
                     same user, else status 1.
  envelope           Content-Type application/json; the body holds only
                     {"trackerrms": {"<op>": {...}}}, the op object only its documented keys
                     (credentials, instructions, the entity, updates, customfields): any other
                     key is status 99.
  types              booleans are JSON true/false ("false" is refused); state, sortdir,
                     assigntolist and shortlistedby are matched exactly in lower case; record
                     types exactly in upper case (C N L O P T R X A); updatedafter and
                     updatedbefore exactly "YYYY-MM-DD HH:MM:SS". Each mismatch is status 99.
  paging             numrecords is 1 or more (0 is status 99; absent means 100); a page holds
                     at most 100 rows, so numrecords 150 answers 100; pagenum is 0 or more.
  write answers      status 0 with count 1: one record written.

THE TRACKER REST API

Under <url>/tracker-rest, to the letter of Tracker's REST v1 (see "apriora help api"):
POST /api/Auth/ExchangeToken {"bearerToken": "sandbox-rest-token-0000"} answers {"token",
"expiration"}; there is ONE live JWT: a new exchange makes the previous one answer 401, as does
an expired one (lifetime 3600 s; POST /__sandbox/tracker/rest changes it). POST
/api/v1/OpportunityResource/Search with "Authorization: Bearer <JWT>" and {"searchText",
"pageSize", "pageNumber"} answers {"data", "totalRecords", "pageNumber", "pageSize"}: 1-based
pages of at most 10 rows whatever pageSize asks, every applicant row of every job in ascending
opportunityResourceId, inactive ones too; filters other than searchText (a part of the
candidate's name or e-mail, or the job's name, ignoring case) are ignored. Errors are plain HTTP
codes with {"message"}.


THE APRIORA EMULATOR

It serves the endpoints this tool assumes of Apriora: GET /templates, POST and GET /positions,
GET and PATCH /positions/{positionId} (409 position_exists for a second position of the same
Tracker job), POST and GET /invitations, GET /candidates, GET /reports, GET and PATCH
/integrations/tracker. Every call needs X-API-Key (401 unauthorized otherwise); errors are
{"error": {"code", "message"}}. It starts with four interview templates and nothing else:

  tpl_1  Standard phone screen       phone
  tpl_2  Video interview — general   video
  tpl_3  Nurse phone screen          phone
  tpl_4  Technical video interview   video

Interviews get the URL https://app.apriora.ai/interview/<positionId>, reports the PDF link
https://cdn.apriora.ai/reports/<reportId>.pdf.

  curl -s http://127.0.0.1:4010/apriora/v1/api/templates -H 'X-API-Key: sandbox-apriora-key-0000'

Where the REST v1 and Apriora contracts are silent, both emulators take the stricter reading, so
that a request they accept is one the real APIs should accept too:
  - a body must be sent as application/json: REST v1 answers anything else 415 {"message"} (as
    ASP.NET does), Apriora 415 unsupported_media_type; the token exchange and the search check
    the JWT first, so a search without one is 401 whatever its body
  - REST v1: tokens and JWTs compare exactly (another letter case is 401); pageSize, pageNumber
    are integers of 1 or more and searchText a string (400 otherwise)
  - Apriora: X-API-Key only (not a Bearer header, not a query parameter) and exactly; an
    unknown query parameter, or one given twice, is 422 invalid_request rather than ignored; an
    unknown body field is 422; sendAt must not be in the past (422 invalid_request); an
    invitation to an unknown position is 422 invalid_request (the body names nothing real), an
    unknown position in the path 404 not_found; a phone not in E.164 is 422 invalid_phone


SANDBOX COMPLETE

No candidate takes the interviews, so "apriora sandbox complete" plays one: Apriora's emulator
creates the candidate (by e-mail; an e-mail it knows reuses that candidate) and a report for the
position, with a generated score, feedback, question summaries, tags and grading criteria. It
needs no login.

  --position ID        the Apriora position, e.g. from apriora interview list (required)
  --email EMAIL        the candidate's e-mail (required)
  --first-name NAME, --last-name NAME
                       the candidate's name (default: made up from the e-mail)
  --sandbox-url URL    the running sandbox (default http://127.0.0.1:4010)
  --webhook-url URL    also deliver the signed session.completed webhook there, signed with
                       APRIORA_WEBHOOK_SECRET (exit 2 without it); a refused or unreachable
                       receiver is a warning, the report exists all the same

  $ apriora sandbox complete --position pos_1 --email olivia.bennett@example.com
  ✓ Olivia Bennett <olivia.bennett@example.com> completed position pos_1: report rep_1, score 75

An unknown position is exit 2. With --json, data holds the candidate, the whole report and, with
--webhook-url, the delivery (url, ok, status). To choose the score or the completion time, call
POST /__sandbox/apriora/complete directly.


SANDBOX APPLY

"apriora sandbox apply --job ID" plays a candidate applying through the careers site: an
applicant row on the job, and the candidate (found by --email, else created with --first-name,
--last-name and --phone as typed; without --email, a candidate without an e-mail). --status
picks the pipeline status (default Applied). An unknown job, an unknown status or a candidate
already on the job is exit 2. It needs no login.

  $ apriora sandbox apply --job 3102 --email ada@example.com --phone "(617) 555-0199"
  ✓ Ada <ada@example.com> applied to job 3102 (IT Support Specialist): application 7040,
  Applied, new candidate 5021


ADMIN ENDPOINTS

Under /__sandbox, without authentication, for loopback clients only (403 otherwise):

  GET  /health            liveness, url, trackerUrl, trackerRestUrl, aprioraUrl, aprioraApiKey,
                          restToken
  GET  /state             {"tracker": <database>, "apriora": <database>}, both in seed format;
                          Apriora's integration shows hasCredentials, never the secrets;
                          "trackerRest": {"exchanges", "ttlSeconds", "liveExpiresAt"}
  GET  /requests?op=&api=&since=
                          the recorded requests (api: tracker or apriora; since: a sequence
                          number), credentials masked
  GET  /faults            the fault options and the queued one-shot faults
  POST /faults            merge fault options, queue one-shot faults, or {"clear": true}
  POST /reset             both databases back to their start (or {"tracker": <seed>,
                          "apriora": <seed>}, either optional), request log emptied, faults
                          as started; Apriora's ids (pos_N, rep_N, ...) keep counting; or
                          {"generate": {"jobs", "candidates", "seed", "extraApplicants",
                          "jobApplicants"}} for a generated Tracker database
  POST /tracker/jobs      add a job, as a recruiter would in Tracker
                          ({"title": ..., "clientId": ..., ...})
  DELETE /tracker/custom-fields/<id>
                          Tracker Support deletes a custom field: getSettingsData no longer
                          lists it -> 200 {"removed": <field>}; 404 unknown field (e.g. to see
                          "apriora doctor" fail on a mapped field that is gone)
  GET  /tracker/rest      REST token exchanges so far, JWT lifetime, the live JWT's expiry
  POST /tracker/rest      {"ttlSeconds"?, "expire"?: true}: the lifetime of new JWTs; the live
                          one expires now
  GET  /applications?jobId=
                          {"applications": [...]}: applicant rows as REST v1 shows them
  POST /applications      {"jobId", "email"?, "firstName"?, "lastName"?, "phone"?, "status"?,
                          "active"?}: a candidate applies -> 201 {"application", "candidate"};
                          404 unknown job, 409 already_applied
  PATCH /applications/<id>
                          {"status"?, "active"?}: a recruiter moves the application to another
                          pipeline status or withdraws it (lastUpdated stamped) -> 200
                          {"application"}; 404 unknown application, 400 invalid_status. E.g.
                          while "apriora automations run --watch" runs:
                            curl -s -X PATCH http://127.0.0.1:4010/__sandbox/applications/7040 \
                              -H 'content-type: application/json' -d '{"status": "Shortlisted"}'
  POST /apriora/complete  a candidate completes an interview: {"positionId", "email",
                          "firstName"?, "lastName"?, "score"? (0-100), "at"? (Unix seconds),
                          "webhook"?: {"url", "secret"}} -> 201 {"candidate", "report",
                          "delivery"?}; an unknown position is 404


FAULT INJECTION

On every API:
  5xx           HTTP 503 (Tracker: an HTML error page; Apriora: its JSON error body)
  429           HTTP 429 with Retry-After
  reset         the connection is dropped without an answer
  after-commit  writes only: the write happens, then the answer is a 502 or a dropped
                connection, so the client cannot know it succeeded

POST /__sandbox/faults takes the options latencyMs, latencyJitterMs, failRate, kinds, seed (the
random faults of a run become reproducible), rateLimitPerMinute, rateLimitApi ("tracker",
"tracker-rest" or "apriora"; absent: all; "tracker" counts Widget and REST requests in one
budget, as Tracker does per database) and retryAfterSeconds, and "oneShot": faults that each
hit the next matching request once, optionally of one API ("api": tracker, tracker-rest or
apriora) and one operation ("op": a Widget name such as createActivity, or "<METHOD> <path>"
such as "POST /positions" or "POST /api/v1/OpportunityResource/Search"; the token exchange
counts as a write; "mode": "502" or "reset" for after-commit):

  # the next two requests fail; the client's retries succeed (watch them with --debug)
  curl -s -X POST http://127.0.0.1:4010/__sandbox/faults \
    -d '{"oneShot": [{"kind": "5xx"}, {"kind": "429"}]}'
  # the next interview is created but its answer is lost: it is read back, not created twice
  curl -s -X POST http://127.0.0.1:4010/__sandbox/faults \
    -d '{"oneShot": [{"kind": "after-commit", "api": "apriora", "op": "POST /positions"}]}'
  # every request fails, slowly
  curl -s -X POST http://127.0.0.1:4010/__sandbox/faults \
    -d '{"failRate": 1, "kinds": ["5xx"], "latencyMs": 200}'
  curl -s -X POST http://127.0.0.1:4010/__sandbox/faults -d '{"clear": true}'

The client side: reads are retried on 408, 429, 5xx, timeouts (30 s) and network errors, up to 4
retries with jittered exponential backoff or the server's Retry-After (a Retry-After over 120 s
is not waited for). Writes are retried only when the request provably was not processed (429, a
refused connection, an unknown host); an interview, candidate or activity create whose outcome
is unknown is looked up before it is tried again. Requests to Tracker are limited client-side to
90 in any minute by default, spread evenly after a burst of 9 (apriora tracker login --rate-limit,
--rate-burst); Apriora's are not.
`;
