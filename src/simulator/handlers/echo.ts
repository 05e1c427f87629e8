/** Echo 0x01 (plain or in a session, no capability): returns the data. PROTOCOL.md 5.1. */
import { echo } from '../../protocol/commands/echo.js';
import { defineHandler } from '../handler.js';

export const echoHandler = defineHandler(echo, (_ctx, data) => data);
