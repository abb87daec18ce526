"""The runtime kit every service uses: settings, broker, telemetry, database, inbox and outbox."""
