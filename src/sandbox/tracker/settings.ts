import { DEFAULT_SANDBOX_CREDENTIALS } from '../credentials.js';
import { ASSOCIATIONS, type IdName, type TrackerSettings, type TrackerUser } from './model.js';

export const APRIORA_ACTIVITY_TYPE = 'Apriora Interview';
export const APRIORA_ACTIVITY_FIELD_NAMES = ['Overall Score', 'Report link', 'Grading Criteria', 'Feedback'] as const;

const named = (names: readonly string[]): IdName[] => names.map((Name, index) => ({ Id: index + 1, Name }));

/**
 * What Tracker Support would have set up for a customer: the "Apriora Interview" activity type and its four custom
 * fields, surrounded on purpose by look-alikes of other associations (a Resource "Overall Score", an Opportunity
 * "Report Link", Resource and Contact "Feedback") and unrelated fields, in an interleaved order, so that a client
 * that matches by name alone, or takes the first hit, picks a wrong id.
 */
export function defaultTrackerSettings(): TrackerSettings {
  return {
    namingConventions: {
      client: 'Client',
      clients: 'Clients',
      contact: 'Contact',
      contacts: 'Contacts',
      lead: 'Lead',
      leads: 'Leads',
      opportunity: 'Job',
      opportunities: 'Jobs',
      project: 'Project',
      projects: 'Projects',
      resource: 'Candidate',
      resources: 'Candidates',
      ticket: 'Ticket',
      tickets: 'Tickets',
      placement: 'Placement',
      placements: 'Placements',
      activity: 'Activity',
      activities: 'Activities',
    },
    opportunityStatuses: [
      { Id: 1, Name: 'Open', State: 'open' },
      { Id: 2, Name: 'Active', State: 'open' },
      { Id: 3, Name: 'Interviewing', State: 'open' },
      { Id: 4, Name: 'On Hold', State: 'open' },
      { Id: 5, Name: 'Filled', State: 'won' },
      { Id: 6, Name: 'Closed', State: 'closed' },
      { Id: 7, Name: 'Cancelled', State: 'closed' },
      { Id: 8, Name: 'Lost', State: 'closed' },
    ],
    resourceStatuses: [
      { Id: 1, Name: 'Active' },
      { Id: 2, Name: 'Available' },
      { Id: 3, Name: 'Interviewing' },
      { Id: 4, Name: 'Placed' },
      { Id: 5, Name: 'Not Looking' },
      { Id: 6, Name: 'Do Not Use' },
    ],
    resourceSources: [
      { Id: 1, Name: 'Website' },
      { Id: 2, Name: 'LinkedIn' },
      { Id: 3, Name: 'Referral' },
      { Id: 4, Name: 'Job Board' },
      { Id: 5, Name: 'Agency' },
      { Id: 6, Name: 'Apriora' },
    ],
    taskTypes: [
      { Id: 1, Name: 'Call' },
      { Id: 2, Name: 'Meeting' },
      { Id: 3, Name: 'Email' },
      { Id: 4, Name: 'Interview' },
      { Id: 5, Name: 'Task' },
      { Id: 6, Name: 'Text' },
      { Id: 7, Name: 'Letter' },
      { Id: 21, Name: APRIORA_ACTIVITY_TYPE },
    ],
    opportunityResourceStatuses: [
      { Id: 1, Name: 'Applied' },
      { Id: 2, Name: 'Shortlisted' },
      { Id: 3, Name: 'Interview' },
      { Id: 4, Name: 'Offered' },
      { Id: 5, Name: 'Placed' },
      { Id: 6, Name: 'Rejected' },
    ],
    customFields: [
      { Association: ASSOCIATIONS.R, Id: 101, Name: 'Visa Status', Type: 'List', ListId: 11 },
      { Association: ASSOCIATIONS.R, Id: 102, Name: 'Overall Score', Type: 'Number', ListId: null },
      { Association: ASSOCIATIONS.O, Id: 201, Name: 'Report Link', Type: 'Text', ListId: null },
      { Association: ASSOCIATIONS.A, Id: 448, Name: 'Overall Score', Type: 'Number', ListId: null },
      { Association: ASSOCIATIONS.R, Id: 103, Name: 'Feedback', Type: 'Memo', ListId: null },
      { Association: ASSOCIATIONS.A, Id: 449, Name: 'Report link', Type: 'Text', ListId: null },
      { Association: ASSOCIATIONS.O, Id: 202, Name: 'Remote Policy', Type: 'List', ListId: 12 },
      { Association: ASSOCIATIONS.A, Id: 450, Name: 'Grading Criteria', Type: 'Memo', ListId: null },
      { Association: ASSOCIATIONS.N, Id: 301, Name: 'Feedback', Type: 'Memo', ListId: null },
      { Association: ASSOCIATIONS.A, Id: 451, Name: 'Feedback', Type: 'Memo', ListId: null },
      { Association: ASSOCIATIONS.O, Id: 203, Name: 'Hiring Manager Notes', Type: 'Memo', ListId: null },
      { Association: ASSOCIATIONS.R, Id: 104, Name: 'Notice Period', Type: 'Text', ListId: null },
      { Association: ASSOCIATIONS.A, Id: 452, Name: 'Call Outcome', Type: 'Text', ListId: null },
    ],
    accessRights: named(['System Administrator', 'Manager', 'Recruiter', 'Read Only']),
    leadStatuses: named(['New', 'Contacted', 'Qualified', 'Converted', 'Lost']),
    leadSources: named(['Website', 'Referral', 'Cold Call', 'Event']),
    opportunityWorkTypes: named(['Permanent', 'Contract', 'Temporary', 'Contract to Hire']),
    projectStatuses: named(['Planned', 'In Progress', 'On Hold', 'Completed']),
    departments: named(['Healthcare', 'Technology', 'Finance', 'Operations']),
    ticketTypes: named(['Question', 'Problem', 'Request']),
    ticketStatuses: named(['Open', 'In Progress', 'Resolved', 'Closed']),
    userTeams: named(['East Coast Desk', 'West Coast Desk', 'Contract Team']),
    customFieldLists: [
      {
        Id: 11,
        Name: 'Visa Status',
        Items: [
          { Id: 1101, Name: 'Citizen' },
          { Id: 1102, Name: 'Permanent Resident' },
          { Id: 1103, Name: 'Work Visa' },
          { Id: 1104, Name: 'Requires Sponsorship' },
        ],
      },
      {
        Id: 12,
        Name: 'Remote Policy',
        Items: [
          { Id: 1201, Name: 'On-site' },
          { Id: 1202, Name: 'Hybrid' },
          { Id: 1203, Name: 'Remote' },
        ],
      },
    ],
  };
}

/** The sandbox API user comes first; a second recruiter owns some jobs; a third is inactive (status 2 if used). */
export function defaultTrackerUsers(apiUsername: string = DEFAULT_SANDBOX_CREDENTIALS.username): TrackerUser[] {
  return [
    { UserId: 1, Username: 'Sandbox API User', Email: apiUsername, LastLogon: '2025-06-02 08:00:00', Active: true },
    { UserId: 2, Username: 'Dana Whitfield', Email: 'dana.whitfield@sandbox.example', LastLogon: '2025-06-01 16:42:10', Active: true },
    { UserId: 3, Username: 'Morgan Ellis', Email: 'morgan.ellis@sandbox.example', LastLogon: '2024-11-29 11:05:00', Active: false },
  ];
}
