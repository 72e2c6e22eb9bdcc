DROP TABLE agreement_acceptances;
DROP TABLE agreement_versions;
