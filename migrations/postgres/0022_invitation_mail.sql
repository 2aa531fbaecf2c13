-- Invitations by e-mail (issue 20). An admin types addresses; each gets its own
-- one-use invitation, and the outbox sends each its link. The link's secret is made
-- when the mail is sent (the invitation's `token_hash` is replaced then), so, as for a
-- reset, it exists only in the mail. Joining through it must use the address it went to.

-- The address an invitation was mailed to (NULL: a link the admin passes on), and the
-- language the mail is written in (the inviting admin's, when they sent it).
ALTER TABLE invitations ADD COLUMN email TEXT;
ALTER TABLE invitations ADD COLUMN locale TEXT;

-- An outbox row goes to a person (`user_id`) or to an invited address
-- (`invitation_id`), never both.
ALTER TABLE mail_outbox ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
    CHECK (kind IN ('reset', 'digest', 'invitation'));
ALTER TABLE mail_outbox ADD COLUMN invitation_id BIGINT REFERENCES invitations(id) ON DELETE CASCADE;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_one_recipient
    CHECK ((user_id IS NULL) <> (invitation_id IS NULL));
CREATE INDEX mail_outbox_invitation ON mail_outbox (invitation_id);
