/** One team notice delivered to one member: a retried job skips whom it already reached. */
export type TeamNoticeSentTable = {
  notice_id: string;
  user_id: string;
  organisation_id: string;
  case_id: string;
  sent_at: Date;
};

export type TeamNotificationTables = {
  team_notices_sent: TeamNoticeSentTable;
};
