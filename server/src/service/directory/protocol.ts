/**
 * The messages between the language server and the client about the tenant's directory, in one
 * file both sides import. The server holds no token and opens no socket: it asks the client, which
 * owns Graph access (`client/src/directory`), and the CLI answers the same questions directly.
 */

/** What an id can name in a payload. */
export type DirectoryKind = 'user' | 'group' | 'connectedOrganization' | 'accessPackage' | 'catalog' | 'policy';

export const kindNames: Record<DirectoryKind, string> = {
  user: 'user',
  group: 'group',
  connectedOrganization: 'connected organisation',
  accessPackage: 'access package',
  catalog: 'catalog',
  policy: 'assignment policy',
};

/** One object of the tenant as the editor shows it. */
export interface DirectoryObject {
  id: string;
  kind: DirectoryKind;
  displayName: string;
  userPrincipalName?: string;
  mail?: string;
  /** For an access package: its catalog. */
  catalog?: { id: string; displayName: string };
}

/** One id to resolve, with the kinds its place accepts. */
export interface IdQuery {
  id: string;
  kinds: DirectoryKind[];
}

/**
 * The answer to a look-up. `tenant` is absent when no tenant is chosen for the document (then no
 * id is checked); `unreadable` says why the directory could not be read (offline, no permission).
 * `objects` holds the ids found; an id asked for and absent from `objects` does not exist.
 */
export interface LookupAnswer {
  tenant?: string;
  objects: DirectoryObject[];
  unreadable?: string;
  /** Ids that could not be checked one by one (a kind the service does not expose): neither found nor missing. */
  unchecked?: string[];
}

/** `entitlements/directoryLookup`: server → client. */
export const LOOKUP_REQUEST = 'entitlements/directoryLookup';
export interface LookupParams {
  uri: string;
  ids: IdQuery[];
  /** Answer only from the cache (inlay hints): never start a network call for this request. */
  cachedOnly?: boolean;
}

/** `entitlements/directorySearch`: server → client; objects of `kind` whose name, UPN or mail start with `text`. */
export const SEARCH_REQUEST = 'entitlements/directorySearch';
export interface SearchParams {
  uri: string;
  kind: DirectoryKind;
  text: string;
}

/** `entitlements/directoryChanged`: client → server notification after a refresh or a change of tenant. */
export const CHANGED_NOTIFICATION = 'entitlements/directoryChanged';

/** A custom extension property the tenant has registered (`directoryObjects/getAvailableExtensionProperties`). */
export interface ExtensionPropertyInfo {
  name: string;
  dataType: string;
  /** `User`, `Group`, `Device`, ... */
  targetObjects: string[];
  appDisplayName?: string;
}

/**
 * What rules can use in this tenant: its registered extension properties, and values the tenant
 * actually uses for common attributes (from a bounded sample of users, most frequent first).
 * `tenant` absent: no tenant chosen (rules are not checked against one).
 */
export interface RuleVocabulary {
  tenant?: string;
  unreadable?: string;
  extensions: ExtensionPropertyInfo[];
  /** Attribute (`department`, `jobTitle`, `country`, `companyName`, `usageLocation`) → values. */
  values: Record<string, string[]>;
  /** How many users the values were sampled from. */
  sampled?: number;
}

/** `entitlements/ruleVocabulary`: server → client. */
export const VOCABULARY_REQUEST = 'entitlements/ruleVocabulary';
export interface VocabularyParams {
  uri: string;
}

/** The attributes whose values are offered from the tenant's sample. */
export const sampledAttributes = ['department', 'jobTitle', 'country', 'companyName', 'usageLocation'] as const;

/** The function the service's tenant features are given (the server's bridge or the CLI's Graph look-up). */
export type DirectoryLookup = (ids: IdQuery[]) => Promise<LookupAnswer>;
