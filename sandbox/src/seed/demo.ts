/**
 * The demo tenant (`--seed demo`): about 3,000 users across departments, countries and job
 * titles (members and guests, some disabled), a few groups, three catalogs, and access packages
 * with each policy shape of the seeds — direct assignment, two-stage approval with recurring
 * reviews, automatic assignment by rule, questions, a custom extension stage — plus assignments
 * and requests in various states. A seeded PRNG makes it the same tenant on every start.
 */
import { decide } from '../engine/approvals';
import { activeAssignment } from '../engine/assignments';
import { createCatalog, createGroup, createPackage } from '../engine/directory';
import type { Engine } from '../engine/engine';
import { createRequest } from '../engine/requests';
import type { Entity } from '../store/store';
import { Prng } from './prng';
import { demoPolicies } from './demoPolicies';

const departments: Record<string, string[]> = {
  Sales: ['Account Executive', 'Sales Manager', 'Sales Development Representative', 'Regional Sales Director'],
  Marketing: ['Marketing Specialist', 'Content Strategist', 'Brand Manager', 'Marketing Director'],
  Engineering: [
    'Software Engineer',
    'Senior Software Engineer',
    'Engineering Manager',
    'Site Reliability Engineer',
    'Principal Engineer',
  ],
  Finance: ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist'],
  'Human Resources': ['HR Generalist', 'Recruiter', 'HR Business Partner'],
  Legal: ['Counsel', 'Paralegal', 'Compliance Officer'],
  Operations: ['Operations Analyst', 'Logistics Coordinator', 'Facilities Manager'],
  Support: ['Support Engineer', 'Customer Success Manager', 'Support Team Lead'],
  IT: ['Systems Administrator', 'Identity Engineer', 'Help Desk Technician', 'IT Manager'],
};
const countries: [string, string, string[]][] = [
  ['United States', 'US', ['Seattle', 'New York', 'Austin', 'Chicago']],
  ['United Kingdom', 'GB', ['London', 'Manchester']],
  ['Germany', 'DE', ['Berlin', 'Munich']],
  ['France', 'FR', ['Paris', 'Lyon']],
  ['India', 'IN', ['Bengaluru', 'Hyderabad']],
  ['Japan', 'JP', ['Tokyo', 'Osaka']],
  ['Brazil', 'BR', ['São Paulo']],
  ['Canada', 'CA', ['Toronto', 'Vancouver']],
  ['Kenya', 'KE', ['Nairobi']],
];
/** The demo tenant's first names (the `--seed-users` generator starts from the same list). */
export const firstNames: readonly string[] = [
  'Ada',
  'Amir',
  'Ana',
  'Aiko',
  'Ben',
  'Carla',
  'Chen',
  'Dara',
  'Diego',
  'Elif',
  'Emma',
  'Farah',
  'Felix',
  'Grace',
  'Hana',
  'Ivan',
  'Jonas',
  'Kofi',
  'Lena',
  'Liam',
  'Maya',
  'Mei',
  'Noah',
  'Nora',
  'Omar',
  'Priya',
  'Rafael',
  'Sara',
  'Sven',
  'Tariq',
  'Uma',
  'Yuki',
  'Zoe',
];
const lastNames = [
  'Andersen',
  'Bauer',
  'Costa',
  'Dubois',
  'Eze',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kim',
  'Kowalski',
  'Li',
  'Martin',
  'Mensah',
  'Nakamura',
  'Novak',
  'Okafor',
  'Patel',
  'Rossi',
  'Santos',
  'Schmidt',
  'Silva',
  'Tanaka',
  'Virtanen',
  'Wang',
  'Yilmaz',
];
const domain = 'contoso.onmicrosoft.com';

export const demoUserCount = 3000;

/**
 * The demo tenant's directory alone (`--seed directory`): the same users and groups, with the same
 * ids, as `--seed demo` (they come first from the same seeded stream), and no entitlement objects,
 * so a configuration pulled from the demo tenant can be applied into a clean tenant.
 */
export function seedDirectory(
  eng: Engine,
  prng = new Prng(20240601),
): { users: Entity[]; groups: { approvers: Entity } } {
  return eng.store.transact(() => {
    const users = seedUsers(eng, prng);
    return { users, groups: seedGroups(eng, users) };
  });
}

export function seedDemo(eng: Engine, prng = new Prng(20240601)): void {
  eng.store.transact(() => {
    const { users, groups } = seedDirectory(eng, prng);
    const general = eng.store.put('catalogs', {
      ...createCatalog(eng, { displayName: 'General', description: 'Built-in catalog.' }),
      catalogType: 'serviceDefault',
    });
    const sales = createCatalog(eng, {
      displayName: 'Sales and Marketing',
      description: 'Resources for the go-to-market teams.',
    });
    const eng2 = createCatalog(eng, {
      displayName: 'Engineering',
      description: 'Build, deploy and on-call resources.',
      isExternallyVisible: true,
    });
    const pkg = (catalog: Entity, displayName: string, description: string): Entity =>
      createPackage(eng, { displayName, description, catalog: { id: catalog.id } });
    const packages = {
      crm: pkg(sales, 'CRM access', 'Read and write access to the CRM.'),
      partners: pkg(eng2, 'Partner collaboration', 'Shared repositories for partner engineers.'),
      salesAuto: pkg(sales, 'Sales team (automatic)', 'Everything a member of the Sales department needs.'),
      regional: pkg(general, 'Regional data access', 'Country-specific reporting data.'),
      build: pkg(eng2, 'Build pipeline access', 'CI/CD pipelines; provisioning checked by a custom extension.'),
    };
    const approver = users.find((u) => u.jobTitle === 'IT Manager') ?? users[0]!;
    const policies = demoPolicies(eng, packages, {
      approverId: approver.id,
      approverGroupId: groups.approvers.id,
      ruleDepartment: 'Sales',
    });
    seedRequests(eng, prng, users, policies, approver);
  });
}

function seedUsers(eng: Engine, prng: Prng): Entity[] {
  const out: Entity[] = [];
  const deptNames = Object.keys(departments);
  const taken = new Set<string>();
  for (let i = 0; i < demoUserCount; i++) {
    const first = prng.pick(firstNames);
    const last = prng.pick(lastNames);
    let nick = `${first}.${last}`.toLowerCase();
    for (let n = 2; taken.has(nick); n++) nick = `${first}.${last}${n}`.toLowerCase();
    taken.add(nick);
    const guest = prng.next() < 0.08;
    const dept = prng.pick(deptNames);
    const [country, code, cities] = prng.pick(countries);
    const hired = Date.UTC(2012 + prng.int(13), prng.int(12), 1 + prng.int(28));
    const mail = guest ? `${nick}@fabrikam.example` : `${nick}@${domain}`;
    out.push(
      eng.store.put('users', {
        id: eng.newId(),
        displayName: `${first} ${last}`,
        givenName: first,
        surname: last,
        userPrincipalName: guest ? `${nick}_fabrikam.example#EXT#@${domain}` : `${nick}@${domain}`,
        mail,
        mailNickname: nick.replace('.', ''),
        jobTitle: prng.pick(departments[dept]!),
        department: guest ? null : dept,
        companyName: guest ? 'Fabrikam' : 'Contoso',
        country,
        usageLocation: code,
        city: prng.pick(cities),
        officeLocation: `${prng.pick(cities)} ${1 + prng.int(40)}`,
        businessPhones: prng.next() < 0.7 ? [`+1 555 01${String(prng.int(100)).padStart(2, '0')}`] : [],
        mobilePhone: null,
        preferredLanguage: 'en-US',
        employeeId: guest ? null : String(100000 + i),
        employeeType: guest ? null : prng.next() < 0.9 ? 'Employee' : 'Contractor',
        employeeHireDate: guest ? null : new Date(hired).toISOString(),
        userType: guest ? 'Guest' : 'Member',
        accountEnabled: prng.next() > 0.05,
        otherMails: [],
        proxyAddresses: guest ? [] : [`SMTP:${mail}`],
        onPremisesSyncEnabled: guest ? null : prng.next() < 0.6,
        createdDateTime: new Date(hired).toISOString(),
      }),
    );
  }
  return out;
}

function seedGroups(eng: Engine, users: Entity[]): { approvers: Entity } {
  const put = (displayName: string, description: string, members: Entity[]): Entity =>
    eng.store.put('groups', {
      ...createGroup(eng, { displayName, description, mailNickname: displayName.replace(/\W/g, '') }),
      _members: members.map((u) => u.id),
    });
  put(
    'All Sales',
    'Everyone in the Sales department.',
    users.filter((u) => u.department === 'Sales'),
  );
  put(
    'Engineering Leads',
    'Engineering managers and principal engineers.',
    users.filter((u) => /Manager|Principal/.test(String(u.jobTitle)) && u.department === 'Engineering'),
  );
  put(
    'Partner Guests',
    'Guest accounts of partner organisations.',
    users.filter((u) => u.userType === 'Guest'),
  );
  const approvers = put(
    'Access Approvers',
    'People who approve access requests.',
    users.filter((u) => u.jobTitle === 'IT Manager').slice(0, 8),
  );
  return { approvers };
}

const DAY = 24 * 3600 * 1000;

function seedRequests(eng: Engine, prng: Prng, users: Entity[], p: Record<string, Entity>, approver: Entity): void {
  const members = users.filter((u) => u.userType === 'Member' && u.id !== approver.id);
  const guests = users.filter((u) => u.userType === 'Guest');
  // Dates: each request happens some days before now (a stream of its own, so the tenant's other
  // values stay as they were). Pending approvals stay within their 14-day decision window, and
  // assignments with an expiration start well inside it.
  const dates = new Prng(20240602);
  const saved = eng.clock.offsetMs;
  const base = eng.clock.now();
  const daysAgo = (max: number, min = 0): void =>
    eng.clock.setNow(base - (min + dates.int(max - min + 1)) * DAY - dates.int(DAY));
  const add = (policy: Entity, user: Entity, justification: string): Entity =>
    createRequest(eng, {
      requestType: 'adminAdd',
      justification,
      assignment: { targetId: user.id, assignmentPolicyId: policy.id, accessPackageId: policy._pkg },
    });
  // Direct assignments, a few of them removed again (they stay listed as expired).
  const direct = members.slice(0, 60);
  for (const u of direct) {
    daysAgo(400, 30);
    add(p.direct!, u, 'Onboarding');
  }
  for (const u of direct.slice(0, 6)) {
    daysAgo(25);
    const a = activeAssignment(eng, u.id, String(p.direct!._pkg));
    if (a) createRequest(eng, { requestType: 'adminRemove', assignment: { id: a.id } });
  }
  // Partner requests: some approved through both stages, one denied, the rest pending.
  guests.slice(0, 12).forEach((u, i) => {
    if (i <= 5) daysAgo(120, 20);
    else daysAgo(10);
    const req = add(p.approval!, u, 'Partner project kickoff');
    const stage = () => (eng.store.get('approvals', req.id)!.stages as Record<string, unknown>[]).at(-1)!.id as string;
    if (i < 5) {
      eng.clock.advance((1 + dates.int(3)) * DAY);
      decide(eng, req.id, stage(), { reviewResult: 'Approve', justification: 'Known partner' });
      eng.clock.advance((1 + dates.int(4)) * DAY);
      decide(eng, req.id, stage(), { reviewResult: 'Approve' });
    } else if (i === 5) decide(eng, req.id, stage(), { reviewResult: 'Deny', justification: 'No contract on file' });
  });
  // Questions policy: a handful of members pending approval; build access with a 90-day expiry.
  for (const u of members.slice(60 + prng.int(5), 70)) {
    daysAgo(10);
    add(p.questions!, u, 'Quarterly reporting');
  }
  for (const u of members.filter((m) => m.department === 'Engineering').slice(0, 25)) {
    daysAgo(60);
    add(p.extension!, u, 'Pipeline work');
  }
  eng.clock.offsetMs = saved;
}
