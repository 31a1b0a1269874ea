/** Production API root; `--base-url` / APRIORA_BASE_URL point elsewhere (a sandbox). */
export const DEFAULT_APRIORA_BASE_URL = 'https://api.apriora.ai/v1/api';
