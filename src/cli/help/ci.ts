// `apriora help ci`. Sources: src/commands/smoke.ts, src/workflows/smoke.ts, src/commands/tracker/login.ts
// (--env-secrets), src/store/credentials.ts (the variables), src/cli/help/exit-codes.ts.

/** A GitHub Actions expression: `${{ vars.NAME }}`. */
const gh = (expression: string): string => `\${{ ${expression} }}`;

/** The GitHub Actions workflow of the topic, on its own so that a test can read it (and run its `run:` lines). */
export const CI_WORKFLOW = `name: Apriora smoke
on:
  workflow_dispatch:
  schedule:
    - cron: "17 6 * * *"
permissions:
  contents: read
jobs:
  smoke:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    env:
      APRIORA_PROFILE: ci-sandbox
      TRACKER_BASE_URL: ${gh('vars.TRACKER_BASE_URL')}
      TRACKER_USERNAME: ${gh('vars.TRACKER_USERNAME')}
      TRACKER_API_KEY: ${gh('secrets.TRACKER_API_KEY')}
      TRACKER_PASSWORD: ${gh('secrets.TRACKER_PASSWORD')}
      APRIORA_API_KEY: ${gh('secrets.APRIORA_API_KEY')}
      APRIORA_SMOKE_JOB: ${gh('vars.APRIORA_SMOKE_JOB')}
      APRIORA_SMOKE_CANDIDATE: ${gh('vars.APRIORA_SMOKE_CANDIDATE')}
    steps:
      - name: Set up Node 20
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Check out the apriora-tracker repository
        uses: actions/checkout@v4
        with:
          repository: ${gh('vars.APRIORA_TRACKER_REPOSITORY')}
          token: ${gh('secrets.APRIORA_TRACKER_REPOSITORY_TOKEN')}
          path: apriora-tracker
      - name: Install apriora from that checkout (it is not on the npm registry)
        working-directory: apriora-tracker
        run: npm ci && npm pack && npm install --global ./apriora-tracker-*.tgz
      - name: Mark the sandbox profile (no secret stored)
        run: apriora tracker login --sandbox --env-secrets
      - name: Map the activity fields
        run: apriora tracker fields map --auto
      - name: Hand the credentials and field map to Apriora's Tracker integration
        run: apriora tracker connect
      - name: Doctor
        run: apriora doctor --json
      - name: Smoke round trip
        run: apriora smoke --json --job "$APRIORA_SMOKE_JOB" --candidate "$APRIORA_SMOKE_CANDIDATE"
`;

export default `APRIORA IN CI: A SMOKE CHECK AGAINST A TRACKER SANDBOX DATABASE

"apriora smoke" is a write round trip for CI: every check of "apriora doctor", then the Apriora
interview of a designated job (created or found), an activity written on a designated test
candidate with the four mapped fields, read back field by field, and marked as a smoke record
("[apriora smoke]" and the run id in its subject and note; "activity push" never takes it for an
interview result). It refuses a profile not marked as a sandbox unless --allow-production.

No keychain in CI: every secret comes from the environment, filled from the repository's secrets.
"apriora tracker login --sandbox --env-secrets" verifies them and saves only the profile's
settings (host, username, the sandbox mark); "tracker fields map --auto" saves the field map;
"tracker connect" makes Apriora's Tracker integration hold the same credentials and map (doctor
checks that it does; sending the same again changes nothing). None stores a secret on the runner:
each later command reads them from the environment again.

  TRACKER_BASE_URL or TRACKER_REGION   the sandbox database's Widget API (us, ca, uk)
  TRACKER_USERNAME                     the API Username issued by Tracker Support
  TRACKER_API_KEY, TRACKER_PASSWORD    secrets
  TRACKER_REST_TOKEN                   secret, only for the applicant commands
  APRIORA_API_KEY                      secret (APRIORA_BASE_URL for another Apriora host)
  APRIORA_SMOKE_JOB                    the Tracker job whose interview the run uses (--job)
  APRIORA_SMOKE_CANDIDATE              the Tracker test candidate written on (--candidate)

A GitHub Actions workflow (.github/workflows/apriora-smoke.yml). Repository secrets:
TRACKER_API_KEY, TRACKER_PASSWORD, APRIORA_API_KEY; repository variables: TRACKER_BASE_URL,
TRACKER_USERNAME, APRIORA_SMOKE_JOB, APRIORA_SMOKE_CANDIDATE, and APRIORA_TRACKER_REPOSITORY
(owner/name of the repository this tool is kept in: the package is not published on npm, so the
job checks it out, packs it and installs the tarball). That repository is private: the secret
APRIORA_TRACKER_REPOSITORY_TOKEN is a token that can read it (a fine-grained token with read
access to its contents); the workflow's own GITHUB_TOKEN cannot read another private repository.

Use an Apriora API key of an account kept for this check, not the customer's production one:
"tracker connect" makes that account's Tracker integration hold the sandbox database's
credentials (sent again on every run; the same values change nothing). Against another Apriora host than
production (a staging account, or the local sandbox's <sandbox URL>/apriora/v1/api), set
APRIORA_BASE_URL too.

${CI_WORKFLOW.trimEnd()}

The JSON report of "smoke" (data): ok, runId, steps (id, title, status ok/fail/skip, detail,
elapsedMs), doctor (the doctor report), interview (jobId, positionId, interviewUrl, status),
activity (id, type, subject, linkRecordId, fields: sent and got for each of the four), elapsedMs.

EXIT CODES (smoke)

  0    every step passed
  2    refused or missing input: a profile not marked as a sandbox (not_a_sandbox, nothing
       written), no --job/APRIORA_SMOKE_JOB or --candidate/APRIORA_SMOKE_CANDIDATE
       (missing_value), a job or candidate the database does not have, no field map; also the
       code of a failed doctor check that stands for a setup problem
  4    credentials missing or refused (the doctor check's code)
  5    a step failed remotely (Tracker or Apriora still failing after retries), a read-back
       mismatch (smoke_mismatch, naming the field, what was sent and what came back), or the time
       budget of --timeout (default 120 s) ran out (smoke_timeout)

Each run writes one new activity on the test candidate; the interview is found again, never
doubled. Delete old smoke activities in Tracker when they pile up: their subjects start with
"Apriora smoke check".
`;
