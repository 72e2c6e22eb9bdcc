CREATE INDEX clicks_link_time_idx ON clicks (link_id, clicked_at);
ALTER TABLE clicks
    ADD CONSTRAINT clicks_link_id_fkey FOREIGN KEY (link_id) REFERENCES links (id),
    ADD CONSTRAINT clicks_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partners (id),
    ADD CONSTRAINT clicks_program_id_fkey FOREIGN KEY (program_id) REFERENCES programs (id);
