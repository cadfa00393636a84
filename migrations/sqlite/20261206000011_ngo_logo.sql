-- An NGO's logo: an uploaded image (stored at logo widths), or none (the pages draw its
-- initials). Removing the image leaves the NGO without a logo.
ALTER TABLE ngos ADD COLUMN logo_image_id INTEGER REFERENCES images(id) ON DELETE SET NULL;
