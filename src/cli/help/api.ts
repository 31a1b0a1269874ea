// `apriora help api`. Sources: src/tracker/ (widget.ts, client.ts, hosts.ts, schemas.ts, rest.ts, rest-auth.ts),
// src/apriora/client.ts,
// src/apriora/schemas.ts, and src/apriora/partner.ts, which holds every assumed detail of Apriora's API.
export default `THE TRACKER AND APRIORA APIS

The contract this tool assumes of both services: CONFIRMED (stated in the service's own
documentation) and ASSUMED (not documented: seen in public third-party code, or this tool's
working assumption, to be corrected once the service says otherwise); for Tracker's REST API,
what Tracker states, what public client code shows, and what this tool assumes. Every assumed
detail of Apriora's API lives in one module, src/apriora/partner.ts; every detail of Tracker's
REST API in src/tracker/rest.ts.


TRACKER RMS

Tracker's own names: Opportunity = job, Resource = candidate, Activity = a logged event (call,
interview, note) shown on the candidate, job and home pages.

CONFIRMED

  Credentials   The customer gets an API Key, an API Username (an e-mail) and an API Password
                from Tracker Support: Widget API credentials. The Widget API is frozen since July
                2025 (it works, but gets no new features); Tracker's REST API v1 is used only
                where the Widget API has no operation: listing a job's applicants (below).
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
  getIndividualRecord  one job (tracker jobs show; interview generate for up to 20 ids, and for
                       an id that no list page showed), one activity
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
                database, REST calls included. This tool keeps to 90 in any minute per process
                for Widget and REST calls together (tracker login --rate-limit changes it),
                spread evenly: after a pause a tenth of that goes at once (9; tracker login
                --rate-burst changes it), then one request every 0.67 s. It honours
                Retry-After, and backs off with jitter.
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


TRACKER REST API v1 (the applicant search only)

STATED BY TRACKER

  REST API v1   exists beside the Widget API, and is where Tracker points new integrations;
                calls carry a bearer token (a JWT)
  Credential    an API token that the customer's admin generates under Tools & Settings ->
                Security Settings -> API; one per database: generating a new one revokes the old
                one. The fourth Tracker secret of a profile (TRACKER_REST_TOKEN, tracker login
                --rest-token-stdin); the Widget commands do without it.
  Hosts         us  https://evousapi.tracker-rms.com
                ca  https://evocaapi.tracker-rms.com
                uk  https://evoglapi.tracker-rms.com
                A Widget base-URL override (sandbox, emulator) serves it under
                <base URL>/tracker-rest; TRACKER_REST_BASE_URL or tracker login --rest-base-url
                override both.

SEEN IN PUBLIC CLIENT CODE (not in Tracker's documentation)

  Exchange      POST <rest>/api/Auth/ExchangeToken {"bearerToken": "<API token>"}, no auth
                header -> 200 {"token": "<JWT>", "expiration": "<ISO 8601>"}; 401 when the API
                token is wrong or revoked (exit 4, tracker_rest_token_rejected). Every other
                call carries Authorization: Bearer <JWT>. The lifetime is not documented: the
                expiration is honoured (carried over to this machine's clock with the answer's
                Date header).
  One live JWT  a new exchange invalidates the JWT handed out before it (one client's code
                shows it). So one JWT is cached per REST API token and shared by every process
                and profile using it (see "apriora help credentials"), reused until shortly
                before it expires; on a 401 the cache is read again, the token is exchanged
                only if the cache still holds the JWT that failed, and the request is sent once
                more; a second 401 is exit 4 (tracker_rest_unauthorized), most likely another
                client using the same token in between. Never one exchange per request.
  Search        POST <rest>/api/v1/OpportunityResource/Search {"searchText": "", "pageSize": 10,
                "pageNumber": n} -> {"data": [row], "totalRecords", "pageNumber", "pageSize"}.
                Pages count from 1 and hold at most 10 rows whatever pageSize asks; reading stops
                at a page shorter than the page size actually served, or once pageNumber x
                pageSize reaches totalRecords. While one page is read, the next two are already
                requested. The search index may lag a direct read.
  Rows          opportunityResourceId, opportunityId, resourceId, opportunityName,
                opportunityResourceStatusId, opportunityResourceStatusName (the tenant's labels:
                Applied, Shortlisted, ...), activeRecord "y" / "n", resourceDisplayAs,
                resourceEmail, source. Phone numbers are not in the row: they come from the
                Widget API's candidate record.
  Errors        plain HTTP codes: 401 (JWT invalid, expired or superseded), 404, 429 with
                Retry-After (honoured), 5xx (retried with backoff); the body is not documented:
                its "message" is quoted when there is one.

THIS TOOL'S ASSUMPTIONS (to be corrected once Tracker says otherwise)

  Row order     rows come in ascending opportunityResourceId.
  Filters       any filter but searchText may be ignored: this tool asks for every row and keeps
                a job's rows itself (by opportunityId), never trusting the server to filter. A
                job's applicants therefore cost a scan of the database's applicant rows, 10 a
                request.
  Rate limit    REST and Widget calls of one database share its ~100 requests a minute: a
                process keeps ONE budget for both (90 a minute, or tracker login --rate-limit).
  Dates         a row's dateCreated (when the candidate applied) and lastUpdated are ISO 8601.


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

  Invitations   POST /invitations {positionId, candidate {email, firstName, lastName, phone?},
                externalCandidateId?, sendAt?}; GET /invitations?positionId=&email=&createdAfter=
                (newest first); 409 already_invited, 422 phone_required, invalid_phone,
                invalid_email, position_closed (interview invite)
  Automations   automations of GET, PATCH /integrations/tracker (automations status, enable,
                disable); a PATCH replaces each object it names and leaves the other:
                invites {enabled, trigger {statuses [Tracker pipeline statuses]}, rules [Rule],
                delayMinutes 0-10080, onePerCandidatePerDay, blackout {start "HH:MM", end
                "HH:MM", timezone IANA} or null (phone only: due invitations wait for its end,
                sendAt)}; interviewCreation {enabled, modality, templateId (a template of that
                modality) or null, filters [Rule]}
  Rule          {field, op "equals" | "not_equals" | "contains" | "not_contains" | "in" |
                "not_in", value text, or a list with in / not_in}; text compares ignoring case;
                all must hold. Invite fields: status, source, candidate.email, job.title,
                job.location, job.type, job.client; interview filters: job.title, job.location,
                job.type, job.client, job.status. 422 invalid_rule {details {index}}, 422
                invalid_automation for any other part. Written here as "job.type in [A, B]"
                (= != ~ !~ in, not in). Apriora runs an enabled automation itself.
`;
