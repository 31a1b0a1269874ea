/** Word lists for the seed generator: fictional organisations and people, real-looking enough for demos. */

export type JobCategory = 'healthcare' | 'technology' | 'finance' | 'logistics' | 'engineering';

export interface SeedClient {
  name: string;
  city: string;
  state: string;
  country: string;
  category: JobCategory;
}

export const SEED_CLIENTS: readonly SeedClient[] = [
  { name: 'Northwind Health Partners', city: 'Boston', state: 'MA', country: 'United States', category: 'healthcare' },
  { name: 'Granite Peak Software', city: 'Austin', state: 'TX', country: 'United States', category: 'technology' },
  { name: 'Brightline Logistics', city: 'Chicago', state: 'IL', country: 'United States', category: 'logistics' },
  { name: 'Harbor & Finch LLP', city: 'New York', state: 'NY', country: 'United States', category: 'finance' },
  { name: 'Summit Ridge Engineering', city: 'Seattle', state: 'WA', country: 'United States', category: 'engineering' },
  { name: 'Cedar Valley Hospital', city: 'Denver', state: 'CO', country: 'United States', category: 'healthcare' },
  { name: 'Bluewater Financial Group', city: 'Charlotte', state: 'NC', country: 'United States', category: 'finance' },
  { name: 'Thames Gateway Freight', city: 'London', state: '', country: 'United Kingdom', category: 'logistics' },
  { name: 'Copperfield Manufacturing', city: 'Cleveland', state: 'OH', country: 'United States', category: 'engineering' },
  { name: 'Maple Leaf Dental Group', city: 'Toronto', state: 'ON', country: 'Canada', category: 'healthcare' },
  { name: 'Lumen Analytics', city: 'Denver', state: 'CO', country: 'United States', category: 'technology' },
  { name: 'Orchard Lane Foods', city: 'Sacramento', state: 'CA', country: 'United States', category: 'logistics' },
];

export interface SeedRole {
  title: string;
  type: 'Permanent' | 'Contract' | 'Temporary';
  responsibilities: readonly string[];
  requirements: readonly string[];
}

export const SEED_ROLES: Readonly<Record<JobCategory, readonly SeedRole[]>> = {
  healthcare: [
    {
      title: 'Senior Nurse',
      type: 'Permanent',
      responsibilities: ['Lead a team of registered nurses on a 30-bed ward', 'Assess, plan and evaluate patient care', 'Mentor newly qualified nurses'],
      requirements: ['Active RN licence', '5+ years of acute care experience', 'BLS and ACLS certification'],
    },
    {
      title: 'Registered Nurse - ICU',
      type: 'Contract',
      responsibilities: [
        'Care for critically ill patients',
        'Monitor ventilators and infusion pumps',
        'Work closely with intensivists and respiratory therapists',
      ],
      requirements: ['Active RN licence', '2+ years of ICU experience', 'Availability for night shifts'],
    },
    {
      title: 'Medical Assistant',
      type: 'Permanent',
      responsibilities: ['Room patients and record vital signs', 'Schedule appointments and follow-ups', 'Keep examination rooms stocked'],
      requirements: ['Medical Assistant certificate', 'Experience with an EHR system', 'Friendly, calm manner'],
    },
    {
      title: 'Dental Hygienist',
      type: 'Permanent',
      responsibilities: ['Perform cleanings and periodontal assessments', 'Take and review radiographs', 'Teach patients good oral hygiene'],
      requirements: ['Licensed dental hygienist', '1+ year of clinical experience', 'Local anaesthesia certification'],
    },
  ],
  technology: [
    {
      title: 'Senior Software Engineer',
      type: 'Permanent',
      responsibilities: ['Design and build services in TypeScript and Go', 'Review code and mentor engineers', 'Own features from design to production'],
      requirements: ['6+ years of professional software development', 'Experience with cloud infrastructure', 'Strong written communication'],
    },
    {
      title: 'Frontend Developer (React)',
      type: 'Contract',
      responsibilities: ['Build accessible React interfaces', 'Work with designers on a shared component library', 'Write unit and end-to-end tests'],
      requirements: ['3+ years with React and TypeScript', 'An eye for detail', 'Experience with design systems'],
    },
    {
      title: 'Data Analyst',
      type: 'Permanent',
      responsibilities: ['Build dashboards for the operations team', 'Clean and model data in SQL', 'Present findings to stakeholders'],
      requirements: ['Strong SQL', 'Experience with a BI tool', 'Curiosity and a sceptical mind'],
    },
    {
      title: 'IT Support Specialist',
      type: 'Temporary',
      responsibilities: ['Resolve hardware and software tickets', 'Onboard new employees', 'Maintain the asset inventory'],
      requirements: ['2+ years of help desk experience', 'Windows and macOS administration', 'A driving licence'],
    },
  ],
  finance: [
    {
      title: 'Financial Analyst',
      type: 'Permanent',
      responsibilities: ['Prepare monthly forecasts and variance reports', 'Support the annual budgeting cycle', 'Model new business cases'],
      requirements: ['Degree in finance or accounting', 'Advanced Excel', '3+ years in FP&A'],
    },
    {
      title: 'Paralegal',
      type: 'Permanent',
      responsibilities: ['Draft and file legal documents', 'Manage case files and deadlines', 'Research case law'],
      requirements: ['Paralegal certificate', 'Litigation experience', 'Excellent organisation'],
    },
    {
      title: 'Accounts Payable Clerk',
      type: 'Temporary',
      responsibilities: ['Process supplier invoices', 'Reconcile vendor statements', 'Prepare weekly payment runs'],
      requirements: ['1+ year in accounts payable', 'Experience with an ERP', 'Accuracy under deadlines'],
    },
    {
      title: 'Compliance Officer',
      type: 'Permanent',
      responsibilities: ['Monitor regulatory changes', 'Run internal compliance reviews', 'Train staff on policies'],
      requirements: ['5+ years in financial services compliance', 'Knowledge of AML rules', 'Clear reporting'],
    },
  ],
  logistics: [
    {
      title: 'Warehouse Supervisor',
      type: 'Permanent',
      responsibilities: ['Lead a shift of 20 warehouse associates', 'Hit daily pick and pack targets', 'Enforce health and safety rules'],
      requirements: ['3+ years of warehouse leadership', 'WMS experience', 'Forklift certification a plus'],
    },
    {
      title: 'Logistics Coordinator',
      type: 'Contract',
      responsibilities: ['Book inbound and outbound freight', 'Track shipments and resolve delays', 'Keep customers informed'],
      requirements: ['2+ years in freight or logistics', 'Strong phone and e-mail manner', 'Comfort with spreadsheets'],
    },
    {
      title: 'Forklift Operator',
      type: 'Temporary',
      responsibilities: ['Load and unload trucks', 'Move stock safely around the site', 'Complete daily equipment checks'],
      requirements: ['Valid forklift licence', 'Able to lift 50 lb', 'Weekend availability'],
    },
    {
      title: 'Customer Service Representative',
      type: 'Permanent',
      responsibilities: ['Answer customer calls and e-mails', 'Resolve order issues on first contact', 'Log feedback for the product team'],
      requirements: ['1+ year in customer service', 'Clear, friendly communication', 'Typing speed of 40 wpm'],
    },
  ],
  engineering: [
    {
      title: 'Mechanical Engineer',
      type: 'Permanent',
      responsibilities: ['Design components in SolidWorks', 'Run tolerance analyses', 'Support production with engineering changes'],
      requirements: ['BSc in mechanical engineering', '3+ years of product design', 'GD&T knowledge'],
    },
    {
      title: 'Project Engineer',
      type: 'Contract',
      responsibilities: ['Coordinate subcontractors on site', 'Track schedules and budgets', 'Prepare RFIs and submittals'],
      requirements: ['Degree in civil or construction engineering', '2+ years on commercial projects', 'Procore experience'],
    },
    {
      title: 'CNC Machinist',
      type: 'Permanent',
      responsibilities: ['Set up and run CNC mills and lathes', 'Read blueprints and inspect parts', 'Keep machines maintained'],
      requirements: ['3+ years of CNC experience', 'Fanuc or Haas controls', 'Own measuring tools'],
    },
    {
      title: 'Maintenance Technician',
      type: 'Temporary',
      responsibilities: ['Troubleshoot electrical and mechanical faults', 'Carry out preventive maintenance', 'Log work orders'],
      requirements: ['Industrial maintenance experience', 'PLC basics', 'Rotating shift availability'],
    },
  ],
};

export const FIRST_NAMES: readonly string[] = [
  'Olivia',
  'Liam',
  'Amara',
  'Noah',
  'Priya',
  'Mateo',
  'Hannah',
  'Kenji',
  'Sofia',
  'Ethan',
  'Zara',
  'Lucas',
  'Grace',
  'Omar',
  'Chloe',
  'Daniel',
  'Mei',
  'Isaac',
  'Leah',
  'Tomasz',
  'Aisha',
  'Gabriel',
  'Nora',
  'Samuel',
  'Elena',
  'Ravi',
  'Fiona',
  'Marcus',
  'Ines',
  'Jonah',
];

export const LAST_NAMES: readonly string[] = [
  'Bennett',
  'Okafor',
  'Ramirez',
  'Kowalski',
  'Nguyen',
  'Fitzgerald',
  'Haddad',
  'Sato',
  'Lindqvist',
  'Patel',
  'Moreau',
  'Brennan',
  'Castillo',
  'Adeyemi',
  'Whitaker',
  'Rossi',
  'Chen',
  'Abernathy',
  'Novak',
  'Delgado',
  'Osei',
  'Larsen',
  'Mehta',
  'Donovan',
  'Petrova',
  'Tanaka',
  'Hughes',
  'Silva',
  'Kimura',
  'Walsh',
];

export const CONTACT_NAMES: readonly (readonly [string, string, string])[] = [
  ['Heather', 'Smith', 'Director of Nursing'],
  ['Raj', 'Malhotra', 'VP Engineering'],
  ['Colleen', 'Brady', 'Operations Manager'],
  ['Victor', 'Ames', 'Office Managing Partner'],
  ['Ingrid', 'Solberg', 'Engineering Manager'],
  ['Tom', 'Reyes', 'HR Business Partner'],
  ['Alicia', 'Grant', 'Head of Finance'],
  ['Graham', 'Pike', 'Depot Manager'],
  ['Denise', 'Holt', 'Plant Manager'],
  ['Martin', 'Leblanc', 'Practice Manager'],
  ['Yuki', 'Hara', 'Head of Data'],
  ['Paula', 'Cruz', 'Distribution Manager'],
];

export const PREVIOUS_EMPLOYERS: readonly string[] = [
  'Riverbend Medical Center',
  'Quartz Labs',
  'Fleetway Transport',
  'Stonebridge Partners',
  'Ironwood Fabrication',
  'Pinecrest Clinic',
  'Atlas Retail Group',
  'Silverline Bank',
  'Westgate Systems',
  'Harborview Logistics',
];

export const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.net', 'example.org'];
