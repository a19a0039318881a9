"""What a post declares: the schema of its front matter, reading and validating posts, the README reference."""
