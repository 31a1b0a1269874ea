const host = '127.0.0.1';
const port = 4010;

/** Where `apriora sandbox start` listens unless told otherwise; `url` is both the Tracker base URL and the admin root. */
export const SANDBOX_DEFAULT_ADDRESS = Object.freeze({ host, port, url: `http://${host}:${port}` });
