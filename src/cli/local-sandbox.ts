/** Where `apriora sandbox start` listens by default: what `login --sandbox` points a new profile at. */
export const LOCAL_SANDBOX_HOST = '127.0.0.1';
export const LOCAL_SANDBOX_PORT = 4010;
export const LOCAL_SANDBOX_URL = `http://${LOCAL_SANDBOX_HOST}:${LOCAL_SANDBOX_PORT}`;
export const LOCAL_SANDBOX_APRIORA_URL = `${LOCAL_SANDBOX_URL}/apriora/v1/api`;
