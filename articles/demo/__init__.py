"""The demo newsroom ``make run`` shows: today's stories, filed as wire copy and imported by the real importer."""
