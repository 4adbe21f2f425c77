/**
 * @virtkit/cli: vksh, the virsh-compatible shell, as a library (the bin is `vksh`).
 */
export { runVksh, runLine, runCommands, type VkshIO, type BatchResult } from './vksh.js';
export { parseCommandString, parseCommandArgv, tokenize, ParseError, type ParsedCommand } from './parser.js';
export { formatTable } from './table.js';
export { Ctl, Cmd, CmdError, type OutStream } from './context.js';
export { COMMAND_DEFS, type CommandDef, type OptDef } from './command-defs.js';
export { setDriverLoader } from './driver-loader.js';
