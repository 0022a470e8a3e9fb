"""The index: the embedding model, index generations on disk or on a Chroma server, and the
serving index opened from them."""
