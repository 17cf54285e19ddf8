#!/usr/bin/env node
/**
 * The `paperpost` executable (package.json "bin"; `node dist/cli.js <command>`). It stays at
 * this path so systemd units and cron lines written for earlier versions keep working; the
 * command line itself lives in src/cli/.
 */
import './cli/main.js';
