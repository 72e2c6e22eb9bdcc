DROP TABLE lesson_attachments;
DROP TABLE document_downloads;
DROP TABLE document_chunks;
DROP TABLE document_versions;
DROP TABLE documents;
DROP TABLE library_folders;
