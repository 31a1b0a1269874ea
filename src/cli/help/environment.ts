// `apriora help environment`. Sources: src/cli/context.ts, src/cli/output.ts, src/cli/factory.ts,
// src/store/credentials.ts, src/store/paths.ts, src/commands/tracker/login.ts, src/commands/login.ts,
// src/commands/activity/listen.ts, src/commands/sandbox/complete.ts, src/workflows/connections.ts (REST base URL).
export default String.raw`ENVIRONMENT VARIABLES

Every variable apriora reads. Flags win over the environment, the environment wins over what a
profile keeps (config file, keychain or credentials file), and built-in defaults come last. A
variable set to an empty string counts as unset, unless said otherwise below.

With the Tracker and Apriora variables set, commands need no login and no secret is stored:

  export TRACKER_BASE_URL=http://127.0.0.1:4010 TRACKER_USERNAME=api.user@sandbox.example \
         TRACKER_API_KEY=sandbox-api-key-0000 TRACKER_PASSWORD=sandbox-password
  export APRIORA_BASE_URL=http://127.0.0.1:4010/apriora/v1/api \
         APRIORA_API_KEY=sandbox-apriora-key-0000
  apriora interview generate --all-open --modality video --dry-run

The field map (apriora tracker fields map) and the default modality are kept only in a profile.


TRACKER

TRACKER_API_KEY, TRACKER_PASSWORD
    The API Key and API Password issued by Tracker Support. They win over the secrets stored for
    the profile. "apriora tracker login" reads them when --api-key-stdin / --password-stdin are
    not given, checks them with Tracker and stores them (with --env-secrets: checks them and
    stores nothing, for CI: see "apriora help ci"); no other command stores them. Set but
    empty, they count as unset everywhere but in tracker login, which sends the empty value and
    is refused (exit 4). "apriora tracker logout" warns when they are still set.

TRACKER_USERNAME
    The API Username (an e-mail). Wins over the profile's username; "apriora tracker login" uses
    it when --username is not given.

TRACKER_REGION
    us, ca or uk (uk also serves the rest of the world): the data centre whose Widget API host is
    used. Wins over the profile's region. Any other value is exit 2.

TRACKER_BASE_URL
    A Widget API base URL (the sandbox, an emulator) used instead of a region's host. Wins over
    the profile's base URL. Not an http(s) URL: exit 2.

    A base URL, from the environment or from the profile, wins over any region. The Tracker host
    of every command but tracker login, first hit wins:
      TRACKER_BASE_URL, the profile's base URL, TRACKER_REGION, the profile's region, us
    of "apriora tracker login":
      --base-url, --region, TRACKER_BASE_URL, TRACKER_REGION, then with --sandbox the profile's
      base URL or http://127.0.0.1:4010, then the profile's saved host, then a prompt (exit 2
      when prompts are off)

TRACKER_REST_TOKEN
    The REST API token that the customer's Tracker admin generates (Tools & Settings -> Security
    Settings -> API; a new one revokes the old one). Only the applicant commands need it: Tracker's
    REST API is the one that lists a job's applicants. Wins over the token stored for the profile.
    "apriora tracker login" verifies it (one token exchange) and stores it when
    --rest-token-stdin is not given. Set but empty, it counts as unset. "apriora tracker logout"
    removes a stored one with the cached REST token (see "apriora help credentials"), and warns
    when the variable is set.

TRACKER_REST_BASE_URL
    The base URL of Tracker's REST API (a sandbox, an emulator). Not an http(s) URL: exit 2.
    First hit wins:
      TRACKER_REST_BASE_URL, the profile's REST base URL (tracker login --rest-base-url), then
      the region's REST host when the Widget API is a region's host, else the Widget base URL
      followed by /tracker-rest (the local sandbox serves the REST API there)
    "apriora tracker login": --rest-base-url first, then the same order.


APRIORA

APRIORA_API_KEY
    The Apriora API key. Wins over the key stored for the profile. "apriora login" reads it when
    --api-key-stdin is not given, checks it with Apriora and stores it. Set but empty, it counts
    as unset everywhere but in login, which refuses the empty key (exit 4).

APRIORA_BASE_URL
    The Apriora API base URL (the sandbox, an emulator). Not an http(s) URL: exit 2.
    Every command but login, first hit wins:
      APRIORA_BASE_URL, the profile's base URL, https://api.apriora.ai/v1/api
    "apriora login":
      --base-url, APRIORA_BASE_URL, the profile's base URL, then with --sandbox
      http://127.0.0.1:4010/apriora/v1/api, then https://api.apriora.ai/v1/api

APRIORA_WEBHOOK_SECRET
    The signing secret shared with Apriora for its webhooks. "apriora activity listen" verifies
    deliveries with it when --secret-stdin is not given; "apriora sandbox complete --webhook-url"
    signs with it and needs it (exit 2 without). No command stores it. See
    "apriora help webhooks".

APRIORA_SMOKE_JOB, APRIORA_SMOKE_CANDIDATE
    The Tracker job and test candidate of "apriora smoke" when --job and --candidate are not
    given. Neither set nor given: exit 2 naming both. See "apriora help ci".


PROFILE, FILES AND STORES

APRIORA_PROFILE
    The profile when --profile is not given; default "default". A name is 1-64 letters, digits,
    ".", "_" or "-", starting with a letter or digit; anything else, an empty value included, is
    exit 2.

APRIORA_CONFIG_DIR
    The config dir: config.json (the profiles) and, when the file store is used,
    credentials.json. A relative path is taken from the current directory. First hit wins:
      APRIORA_CONFIG_DIR, $XDG_CONFIG_HOME/apriora, ~/.config/apriora

XDG_CONFIG_HOME
    Base of the config dir when APRIORA_CONFIG_DIR is not set; only an absolute path counts.

APRIORA_DATA_DIR
    The data dir, where "apriora activity listen" keeps its journal,
    <data dir>/<profile>/webhooks.jsonl, and the profile's processes share their cached Tracker
    REST token and locks. A relative path is taken from the current directory.
    First hit wins:
      APRIORA_DATA_DIR, $XDG_DATA_HOME/apriora, ~/.local/share/apriora

XDG_DATA_HOME
    Base of the data dir when APRIORA_DATA_DIR is not set; only an absolute path counts.

HOME
    The home directory of the ~/.config and ~/.local/share defaults (USERPROFILE on Windows).

APRIORA_CREDENTIAL_STORE
    keychain or file: where secrets are read and written, whatever store the profile uses (a
    profile whose secrets live in the environment reads none). For scripts, CI and tests that
    must not touch the OS keychain. Other values are ignored.
    "--insecure-storage" at login writes to the file all the same. See
    "apriora help credentials".

DBUS_SESSION_BUS_ADDRESS
    On Linux the keychain is the Secret Service, reached over this D-Bus session bus. Without a
    session bus, or without a Secret Service on it, the keychain is unavailable (exit 4).


OUTPUT AND PROMPTS

CI
    Any value but "false" or "0" (and not empty): no prompts, as with --no-input, and no progress
    line. Without prompts, writes are not confirmed, and a missing value is exit 2 naming the flag
    or variable that gives it.

APRIORA_DEBUG
    "1" or "true": the same as --debug. Every HTTP request and answer is traced on stderr,
    secrets redacted, and an internal error prints its stack.

NO_COLOR
    Set to anything, even an empty string: no colour, as with --no-color.

TERM
    "dumb": no colour.

FORCE_COLOR
    Set to anything but "0" or "false", an empty string included: colour even where the output
    is not a terminal. --no-color, NO_COLOR and TERM=dumb win over it.

COLUMNS
    The width tables fit when the terminal does not say its own (80 when neither does), and,
    when stdout is not a terminal, the width to fit them to: piped without it, tables keep all
    of their content. --wide shows every column in full.

Without these, colour is on for stdout and for stderr each when that stream is a terminal.
Prompts appear only when stdin and stderr are terminals, CI is not set and --no-input is not
given.
`;
