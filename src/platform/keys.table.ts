import type { Generated } from 'kysely';

export type MasterKeyTable = {
  id: string;
  check_value: string;
  created_at: Generated<Date>;
  retired_at: Date | null;
};

export type DataKeyTable = {
  id: Generated<string>;
  purpose: string;
  master_key_id: string;
  wrapped: Buffer;
  created_at: Generated<Date>;
};

export type PlatformTables = {
  master_keys: MasterKeyTable;
  data_keys: DataKeyTable;
};
