import net from 'node:net';

/** Fails early with a clear message when a fixed demo port is taken (usually a demo still running). */
export async function assertPortFree(port: number, host: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `Port ${port} (${what}) is already in use on ${host}. Is another \`npm run demo\` still running? Stop it (Ctrl-C) or free the port.`
            : `Cannot listen on ${host}:${port} (${what}): ${err.message}`,
        ),
      ),
    );
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}
