-- A player's home region: which region's social deployment holds their friends, guild and chat.
-- Players registered before regions existed get the configured default home
-- (bulwark.regions.default-home, passed to Flyway as a placeholder); new registrations always
-- write it. The column default stays for SQL fixtures that insert players directly.
ALTER TABLE player ADD COLUMN home_region TEXT NOT NULL DEFAULT '${defaultRegion}';
