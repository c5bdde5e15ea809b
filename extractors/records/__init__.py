"""Records from a Document: measures from tables and from the text flow, recommendations, announcements, stat tables."""
