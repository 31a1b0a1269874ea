// `apriora help credentials`. Sources: src/store/ (credentials.ts, keychain.ts, file-secrets.ts, profiles.ts,
// paths.ts, rest-token-cache.ts), src/tracker/rest-auth.ts, src/cli/factory.ts, src/cli/save-secrets.ts,
// src/commands/login.ts, src/commands/tracker/login.ts.
export default `CREDENTIALS, PROFILES AND FILES

apriora keeps one profile per customer: --profile acme, or APRIORA_PROFILE (default "default"). A
profile holds the settings of both connections; the secrets live apart from it, in the OS keychain
by default.


WHERE EACH VALUE COMES FROM

Secrets, first hit wins ("apriora status" and "apriora tracker status" print where each one came
from: stdin, env, keychain or file):
  1. stdin: --api-key-stdin, --password-stdin and --rest-token-stdin of the login commands, one
     value a line in that order (API Key, API Password, REST API token: only the ones flagged),
     --secret-stdin of activity listen
  2. the environment: TRACKER_API_KEY, TRACKER_PASSWORD, TRACKER_REST_TOKEN, APRIORA_API_KEY,
     APRIORA_WEBHOOK_SECRET
  3. the profile's store: the OS keychain, or the credentials file. On a machine with no
     keychain at all (no Secret Service), the optional secrets (REST API token, webhook
     secret) read as not set, so TRACKER_* and APRIORA_* variables alone are enough; a
     locked keychain still stops the command (exit 4, keychain_locked)
  4. a prompt, for the login commands on a terminal (the REST API token is offered as an
     optional question, required with --with-rest-token); otherwise exit 2 (missing_value).
     tracker login first reuses the API Key and Password the profile holds when none is piped
     or in the environment and no prompt is due (a script, or --with-rest-token /
     --rest-token-stdin), so that a REST API token is added or replaced alone:
       printf '%s\n' "$TOKEN" | apriora tracker login --profile acme --rest-token-stdin
     Any other command exits 4
     (not_logged_in) naming the login to run, and activity listen without a webhook secret
     exits 2. Without a REST API token the Widget commands work as ever; the applicant commands
     exit 4 (tracker_rest_token_missing) saying where the admin generates one

Secrets are never accepted as flag values (they would end up in shell history and in ps).

Settings: flags, then the environment (TRACKER_USERNAME, TRACKER_REGION, TRACKER_BASE_URL,
TRACKER_REST_BASE_URL, APRIORA_BASE_URL), then the profile, then defaults; see
"apriora help environment" for the exact order of each.

The login commands check what they are given before storing anything: credentials that Tracker
or Apriora refuse leave the profile as it was.

  apriora tracker login   checks the API Key, Username and Password with Tracker (checkLogon)
                          and a REST API token when one is given (one token exchange), stores
                          them, saves host, username, rate limit, REST base URL and country
  apriora login           checks the Apriora API key, stores it, saves the base URL (when not
                          production) and --modality
  apriora tracker logout  deletes the stored Tracker API Key, Password and REST API token, and
                          the cached REST session token of that REST API token; the settings
                          stay
  apriora logout          deletes the stored Apriora API key; the settings and the Tracker
                          secrets stay

No command deletes a profile: remove its entry from config.json.


THE KEYCHAIN (default)

Service "apriora-cli", account "<profile>/<secret>":
  <profile>/tracker.apiKey      the Tracker API Key
  <profile>/tracker.password    the Tracker API Password
  <profile>/tracker.restToken   the Tracker REST API token (optional: the applicant commands)
  <profile>/apriora.apiKey      the Apriora API key
  <profile>/apriora.webhookSecret
                                read by activity listen when neither --secret-stdin nor
                                APRIORA_WEBHOOK_SECRET gives a secret; no command writes it

macOS Keychain, Windows Credential Manager, and on Linux the Secret Service (gnome-keyring,
KWallet) only, never the kernel keyring, which loses its secrets at reboot. Every keychain call
gives up after 3 s.

A locked or unavailable keychain is exit 4 saying so (keychain_locked, keychain_unavailable,
keychain_error), never "not logged in". A login checks that the keychain can be reached before
it asks for anything; when it cannot (a server, a container, CI, WSL), it offers the credentials
file instead, on a terminal and without --yes; from a script it asks for and stores nothing and
fails with exit 4 at once. The way out: unlock or start the keyring, log in with
--insecure-storage, or skip the login and pass the secrets in the environment. A profile that
does not exist is not looked up in the keychain: status says there is no such profile.


THE CREDENTIALS FILE (opt-in)

<config dir>/credentials.json, mode 0600 in a 0700 directory, written atomically. Used only when
asked for: --insecure-storage at login, the terminal fallback above, or
APRIORA_CREDENTIAL_STORE=file. A login remembers in the profile which store it used, and the
profile's later commands read from it; APRIORA_CREDENTIAL_STORE overrides that choice both ways,
but never for a profile that keeps its secrets in the environment (credentialStore env): that one
reads no store at all. A stored secret is sent only to the host it was saved for: with
TRACKER_BASE_URL, TRACKER_REST_BASE_URL or APRIORA_BASE_URL naming another host, the secrets must
be in the environment too.
A file that its group or others may read or write is refused, as ssh refuses such a key
(insecure_credentials_file, exit 2): chmod 600 it, and replace the keys if others could read
them.


THE CONFIG DIR

APRIORA_CONFIG_DIR, else $XDG_CONFIG_HOME/apriora (absolute paths only), else ~/.config/apriora;
created 0700. It holds config.json (0600, plain JSON, written atomically): one entry per profile
with
  sandbox            writes need no confirmation (set by --sandbox at login)
  credentialStore    keychain, file, or env (tracker login --env-secrets: no secret stored,
                     each command reads them from the environment, and what the profile had
                     stored is removed; see apriora help ci)
  tracker            region or baseUrl, username, rateLimitPerMinute and rateBurst (tracker
                     login --rate-limit, --rate-burst), activityType, fieldMap,
                     restBaseUrl (tracker login --rest-base-url), country (--country: the
                     country of phone numbers typed without one; default US, CA or GB by
                     region)
  apriora            baseUrl (when not production), defaultModality
The config file refuses any key that looks like a secret (secret_in_config). config.json open to
others is put back to 0600 (it holds no secrets). A config dir or file that cannot be read or
written (permissions, a read-only file system, a file where the directory should be, a full
disk) is exit 2 naming the path and the fix; so is the data dir below.


THE DATA DIR

APRIORA_DATA_DIR, else $XDG_DATA_HOME/apriora, else ~/.local/share/apriora; one directory per
profile (0700) holding the journal of activity listen, webhooks.jsonl (0600: report ids, delivery
ids and times, no secrets) and webhooks.jsonl.lock while a listener runs; locks/ (0700), the write
locks of each Tracker database (shared by the profiles that write to it), held while a record is
written, and beside them ledger/, what was written under them in the last day or two (record ids
and times, no e-mail); and tracker-rest/ (0700), the cached REST session tokens (below).


THE CACHED REST TOKEN

Tracker's REST API takes a short-lived session token (a JWT) obtained by exchanging the REST API
token, and Tracker keeps one live JWT per API token: every exchange kills the JWT handed out
before it. Two processes that each exchanged on start would knock each other out. So this
machine keeps ONE JWT per REST API token (and REST base URL), shared by every process and every
profile holding that token, in
  <data dir>/tracker-rest/<key>.json
(0600 in a 0700 directory, written atomically, its lock beside it). <key> is the start of a
SHA-256 hash of the REST base URL and the API token, and the file holds the JWT, its expiry and
that hash, never the token itself: a JWT is never used with another token or host. It is reused
until shortly before it expires (a minute, or a quarter of its life when that is shorter). A
process that needs a new one takes the lock and reads the file again first; after a 401 it
exchanges only when the file still holds the JWT that was refused (another process may have
refreshed it already), then retries once. A second 401 is exit 4 (tracker_rest_unauthorized):
most likely another client using the same REST API token (another machine, another tool)
exchanged it in between, since a database has one REST API token and Tracker one live session
for it; or the token was revoked.

A cache file that other users may read, or that another user owns, is never used: its JWT is
taken as exposed, a new exchange ends it, and the new JWT replaces the file at 0600 (with a
warning). A cache file that cannot be read at all (a directory in its place, no permission) is
exit 2 naming it. The JWT is a secret like the others: never in output, errors or --debug
traces. Deleting the file is harmless (the next command exchanges again); tracker logout of a
profile deletes the one of its token (another profile sharing the token exchanges again).


NEVER STORED

  - secrets in config.json, in output, in error messages or in --debug traces (shown as ***),
    nor the REST JWT, which only its 0600 cache file holds
  - anything at all when Tracker or Apriora refuses the credentials at login
  - TRACKER_* and APRIORA_API_KEY, unless a login command takes them as its input
  - the webhook signing secret

"apriora tracker connect" sends the Tracker API Key, Username, Password and region to Apriora's
Tracker integration, and only there; Apriora never returns them ("apriora status" shows whether
the integration holds them).
`;
