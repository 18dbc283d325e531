import { spawn, type SpawnOptions } from 'node:child_process';

/** Runs a command, collecting output; rejects with the tail of the output on a non-zero exit. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { echo?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const collect = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
      out += chunk.toString();
      if (opts.echo) stream.write(chunk);
    };
    child.stdout?.on('data', collect(process.stdout));
    child.stderr?.on('data', collect(process.stderr));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${out.slice(-4000)}`));
    });
  });
}
