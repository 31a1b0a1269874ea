import { conformance, envelope, widget } from './harness.js';

conformance('Widget API: the envelope', [
  {
    name: 'getSettingsData with the issued credentials: status 0',
    send: (sandbox) => widget(sandbox, 'getSettingsData', envelope(sandbox, 'getSettingsData')),
    expect: { http: 200, body: { status: 0 } },
  },
]);
