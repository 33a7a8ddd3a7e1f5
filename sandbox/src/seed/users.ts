/**
 * `--seed-users N`: N deterministic users with the properties and proportions of a real tenant
 * (departments of very different sizes, titles by department and seniority, countries with their
 * cities, languages and phone formats, guests, contractors, disabled accounts, hire dates), so
 * rules and `$filter`s select realistic shares. The same N and seed give the same users, ids
 * included. They are loaded straight into the store (no journal record per user); the caller
 * makes them durable with one snapshot.
 */
import { firstNames as demoFirstNames } from './demo';
import type { Entity, Store } from '../store/store';
import { Prng } from './prng';

type Weighted<T> = readonly (readonly [T, number])[];

/** Department → share of staff, and its titles from junior to senior with their shares. */
const departments: Weighted<readonly [string, Weighted<string>]> = [
  [
    [
      'Engineering',
      [
        ['Software Engineer', 40],
        ['Senior Software Engineer', 30],
        ['Principal Engineer', 5],
        ['Engineering Manager', 8],
        ['Site Reliability Engineer', 12],
        ['Director of Engineering', 1],
      ],
    ],
    22,
  ],
  [
    [
      'Sales',
      [
        ['Sales Development Representative', 30],
        ['Account Executive', 40],
        ['Sales Manager', 12],
        ['Regional Sales Director', 3],
      ],
    ],
    18,
  ],
  [
    [
      'Operations',
      [
        ['Operations Analyst', 40],
        ['Logistics Coordinator', 40],
        ['Facilities Manager', 8],
      ],
    ],
    12,
  ],
  [
    [
      'Support',
      [
        ['Support Engineer', 60],
        ['Customer Success Manager', 25],
        ['Support Team Lead', 10],
      ],
    ],
    10,
  ],
  [
    [
      'Marketing',
      [
        ['Marketing Specialist', 45],
        ['Content Strategist', 25],
        ['Brand Manager', 15],
        ['Marketing Director', 3],
      ],
    ],
    8,
  ],
  [
    [
      'Finance',
      [
        ['Accountant', 40],
        ['Financial Analyst', 35],
        ['Payroll Specialist', 15],
        ['Controller', 3],
      ],
    ],
    7,
  ],
  [
    [
      'IT',
      [
        ['Help Desk Technician', 40],
        ['Systems Administrator', 30],
        ['Identity Engineer', 15],
        ['IT Manager', 5],
      ],
    ],
    6,
  ],
  [
    [
      'Research',
      [
        ['Research Scientist', 60],
        ['Research Lead', 10],
        ['Lab Technician', 30],
      ],
    ],
    5,
  ],
  [
    [
      'Human Resources',
      [
        ['HR Generalist', 40],
        ['Recruiter', 40],
        ['HR Business Partner', 15],
      ],
    ],
    5,
  ],
  [
    [
      'Manufacturing',
      [
        ['Production Technician', 70],
        ['Quality Engineer', 20],
        ['Plant Manager', 3],
      ],
    ],
    4,
  ],
  [
    [
      'Legal',
      [
        ['Paralegal', 40],
        ['Counsel', 40],
        ['Compliance Officer', 20],
      ],
    ],
    3,
  ],
];

/** Country, ISO code, share, cities, preferred language, phone prefix. */
const countries: Weighted<readonly [string, string, readonly string[], string, string]> = [
  [['United States', 'US', ['Seattle', 'New York', 'Austin', 'Chicago', 'Atlanta'], 'en-US', '+1 425 555'], 38],
  [['India', 'IN', ['Bengaluru', 'Hyderabad', 'Pune'], 'en-IN', '+91 80 5550'], 14],
  [['United Kingdom', 'GB', ['London', 'Manchester', 'Edinburgh'], 'en-GB', '+44 20 7946'], 9],
  [['Germany', 'DE', ['Berlin', 'Munich', 'Hamburg'], 'de-DE', '+49 30 5557'], 8],
  [['France', 'FR', ['Paris', 'Lyon'], 'fr-FR', '+33 1 5555'], 5],
  [['Japan', 'JP', ['Tokyo', 'Osaka'], 'ja-JP', '+81 3 5555'], 5],
  [['Brazil', 'BR', ['São Paulo', 'Rio de Janeiro'], 'pt-BR', '+55 11 5555'], 5],
  [['Canada', 'CA', ['Toronto', 'Vancouver', 'Montréal'], 'en-CA', '+1 416 555'], 5],
  [['Netherlands', 'NL', ['Amsterdam', 'Rotterdam'], 'nl-NL', '+31 20 555'], 4],
  [['Australia', 'AU', ['Sydney', 'Melbourne'], 'en-AU', '+61 2 5550'], 4],
  [['Kenya', 'KE', ['Nairobi'], 'en-KE', '+254 20 555'], 3],
];

const employeeTypes: Weighted<string> = [
  ['Employee', 85],
  ['Contractor', 10],
  ['Vendor', 3],
  ['Intern', 2],
];
const companies: Weighted<string> = [
  ['Contoso Ltd', 85],
  ['Contoso Retail', 10],
  ['Fabrikam Inc', 5],
];
const partners = ['fabrikam.com', 'northwindtraders.com', 'adatum.com', 'tailspintoys.com', 'woodgrovebank.com'];

// The demo tenant's names first, then more (the same order as ever: seeded users do not change).
const firstNames = [
  ...demoFirstNames,
  'Aarav',
  'Beatriz',
  'Camille',
  'Daniel',
  'Ewa',
  'Fatima',
  'Gabriel',
  'Hiro',
  'Ines',
  'Jamal',
  'Keiko',
  'Lucas',
  'Mateo',
  'Nia',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sofia',
  'Thomas',
  'Valentina',
  'Wei',
  'Xavier',
  'Yara',
  'Zainab',
];
const lastNames = [
  'Andersen',
  'Bauer',
  'Chen',
  'Da Silva',
  'Dubois',
  'Fischer',
  'García',
  'Gupta',
  'Hansen',
  'Ito',
  'Jensen',
  'Kim',
  'Kowalski',
  'Larsen',
  'Martin',
  'Mensah',
  'Müller',
  'Nakamura',
  'Nguyen',
  'Novak',
  'Okafor',
  'Patel',
  'Rossi',
  'Santos',
  'Schmidt',
  'Singh',
  'Smith',
  'Tanaka',
  'Walker',
  'Wang',
  'Williams',
  'Yamamoto',
  'Zhang',
  'Ahmed',
  'Brown',
  'Costa',
  'Dimitrov',
  'Evans',
  'Ferreira',
  'Haddad',
  'Ivanova',
  'Johansson',
  'Kariuki',
  'Lopez',
  'Moreau',
  'Nielsen',
  "O'Brien",
  'Petrov',
  'Reyes',
  'Suzuki',
];

/** Cumulative weights for picking with one random number. */
function picker<T>(list: Weighted<T>): (r: number) => T {
  const total = list.reduce((s, [, w]) => s + w, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const [, w] of list) cum.push((acc += w / total));
  return (r) => {
    for (let i = 0; i < cum.length; i++) if (r < cum[i]!) return list[i]![0];
    return list[list.length - 1]![0];
  };
}

const pickDept = picker(departments);
const pickCountry = picker(countries);
const pickType = picker(employeeTypes);
const pickCompany = picker(companies);
const titlePickers = new Map(departments.map(([[d, titles]]) => [d, picker(titles)]));

/** ASCII form of a name for addresses (`Müller` → `muller`, `O'Brien` → `obrien`). */
const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

const asciiFirst = firstNames.map(ascii);
const asciiLast = lastNames.map(ascii);
const hireFrom = Date.UTC(2005, 0, 1);
const hireSpan = Date.UTC(2026, 0, 1) - hireFrom;

/** A string built from pieces, as one flat string (a rope of pieces costs several times its length). */
const flat = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** The i-th seeded user of the stream (i from 0); `created` is the tenant's creation time. */
function makeUser(prng: Prng, i: number, created: string): Entity {
  const fi = prng.int(firstNames.length);
  const li = prng.int(lastNames.length);
  const given = firstNames[fi]!;
  const sur = lastNames[li]!;
  const [country, code, cities, lang, phone] = pickCountry(prng.next());
  const city = cities[prng.int(cities.length)]!;
  const guest = prng.next() < 0.07;
  const id = prng.guid();
  const nick = flat(`${asciiFirst[fi]}.${asciiLast[li]}${i}`);
  if (guest) {
    const domain = partners[prng.int(partners.length)]!;
    const mail = flat(`${nick}@${domain}`);
    return {
      id,
      displayName: flat(`${given} ${sur} (${domain})`),
      givenName: given,
      surname: sur,
      userPrincipalName: flat(`${nick}_${domain}#EXT#@contoso.onmicrosoft.com`),
      mail,
      mailNickname: flat(`${nick}_${domain}#EXT#`),
      userType: 'Guest',
      accountEnabled: prng.next() > 0.1,
      companyName: null,
      department: null,
      jobTitle: null,
      country,
      usageLocation: code,
      city,
      preferredLanguage: lang,
      businessPhones: [],
      createdDateTime: created,
    };
  }
  const [dept, titles] = pickDept(prng.next());
  const jobTitle = titlePickers.get(dept)!(prng.next());
  const upn = flat(`${nick}@contoso.com`);
  return {
    id,
    displayName: flat(`${given} ${sur}`),
    givenName: given,
    surname: sur,
    userPrincipalName: upn,
    mail: upn,
    mailNickname: nick,
    userType: 'Member',
    accountEnabled: prng.next() > 0.04,
    companyName: pickCompany(prng.next()),
    department: dept,
    jobTitle: titles.length > 0 ? jobTitle : null,
    employeeId: String(100000 + i),
    employeeType: pickType(prng.next()),
    employeeHireDate: flat(
      new Date(hireFrom + Math.floor(prng.next() * hireSpan)).toISOString().slice(0, 10) + 'T00:00:00Z',
    ),
    country,
    usageLocation: code,
    city,
    officeLocation: flat(`${city} ${1 + prng.int(12)}/${100 + prng.int(400)}`),
    preferredLanguage: lang,
    businessPhones: [flat(`${phone} ${String(prng.int(10000)).padStart(4, '0')}`)],
    createdDateTime: created,
  };
}

/** Loads `n` seeded users into the store (no transaction: the caller snapshots). Returns their count. */
export function seedUsers(store: Store, n: number, seed = 0x5eed_0001, created = new Date().toISOString()): number {
  const prng = new Prng(seed);
  const batch: Entity[] = [];
  for (let i = 0; i < n; i++) {
    batch.push(makeUser(prng, i, created));
    if (batch.length === 4096) store.load('users', batch.splice(0));
  }
  store.load('users', batch);
  return n;
}
