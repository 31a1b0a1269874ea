import type { Group } from './command.js';

/**
 * Every command of `apriora`, by path. Each leaf loads its command file (definition + run) only when the command line
 * names it, so `--help` and `--version` stay fast. Order here is the order of the help listings.
 */
export const REGISTRY: Group = {
  description: "Connect a customer's Tracker RMS database with Apriora's AI interviews",
  commands: {
    login: () => import('../commands/login.js'),
    logout: () => import('../commands/logout.js'),
    status: () => import('../commands/status.js'),
    doctor: () => import('../commands/doctor.js'),
    onboard: () => import('../commands/onboard.js'),
    smoke: () => import('../commands/smoke.js'),
    tracker: {
      description: 'Tracker RMS: credentials, custom fields, jobs',
      commands: {
        login: () => import('../commands/tracker/login.js'),
        status: () => import('../commands/tracker/status.js'),
        logout: () => import('../commands/tracker/logout.js'),
        'support-request': () => import('../commands/tracker/support-request.js'),
        connect: () => import('../commands/tracker/connect.js'),
        fields: {
          description: 'Custom fields of the "Apriora Interview" activity',
          commands: {
            list: () => import('../commands/tracker/fields/list.js'),
            map: () => import('../commands/tracker/fields/map.js'),
          },
        },
        jobs: {
          description: 'Jobs (Tracker opportunities)',
          commands: {
            list: () => import('../commands/tracker/jobs/list.js'),
            show: () => import('../commands/tracker/jobs/show.js'),
          },
        },
        applicants: {
          description: "Jobs' applicants (Tracker's REST API)",
          commands: {
            list: () => import('../commands/tracker/applicants/list.js'),
          },
        },
      },
    },
    interview: {
      description: 'Apriora interviews built from Tracker jobs',
      commands: {
        generate: () => import('../commands/interview/generate.js'),
        list: () => import('../commands/interview/list.js'),
        show: () => import('../commands/interview/show.js'),
        invite: () => import('../commands/interview/invite.js'),
        invitations: () => import('../commands/interview/invitations.js'),
      },
    },
    activity: {
      description: 'Interview results written into Tracker as activities',
      commands: {
        push: () => import('../commands/activity/push.js'),
        listen: () => import('../commands/activity/listen.js'),
      },
    },
    automations: {
      description: "Apriora's automations for Tracker: automatic invitations and interviews",
      commands: {
        status: () => import('../commands/automations/status.js'),
        enable: {
          description: 'Switch on an automation and tune it (flags not given keep what Apriora holds)',
          commands: {
            invites: () => import('../commands/automations/enable/invites.js'),
            interviews: () => import('../commands/automations/enable/interviews.js'),
          },
        },
        disable: () => import('../commands/automations/disable.js'),
        preview: () => import('../commands/automations/preview.js'),
        run: () => import('../commands/automations/run.js'),
      },
    },
    sandbox: {
      description: 'Local emulators of the Tracker and Apriora APIs',
      commands: {
        start: () => import('../commands/sandbox/start.js'),
        complete: () => import('../commands/sandbox/complete.js'),
        apply: () => import('../commands/sandbox/apply.js'),
      },
    },
    completion: () => import('../commands/completion.js'),
    help: () => import('../commands/help.js'),
  },
};
