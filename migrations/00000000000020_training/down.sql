DROP TABLE partner_certified_people;
DROP TABLE certificates;
DROP TABLE certifications;
DROP TABLE course_attempts;
DROP TABLE quiz_options;
DROP TABLE quiz_questions;
DROP TABLE lessons;
DROP TABLE courses;
