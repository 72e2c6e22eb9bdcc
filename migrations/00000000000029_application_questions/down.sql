DROP TABLE application_answers;
DROP TABLE application_questions;
