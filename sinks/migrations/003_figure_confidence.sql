-- How sure the extractor is of each figure (0 to 1): rows stored before it was computed read 0.5.
ALTER TABLE figures ADD COLUMN IF NOT EXISTS confidence Float32 DEFAULT 0.5 AFTER mentions;
