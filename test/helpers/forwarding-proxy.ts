import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

export interface ForwardingProxy {
  url: string;
  /** host:port of every CONNECT the proxy accepted, in order. */
  connects: string[];
  close: () => Promise<void>;
}

/**
 * A minimal forwarding proxy on 127.0.0.1: answers CONNECT by piping to the target, which must be on 127.0.0.1
 * (anything else is refused), and records each CONNECT.
 */
export async function startForwardingProxy(): Promise<ForwardingProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => response.writeHead(405).end());
  server.on("connect", (request, client: Socket, head: Buffer) => {
    const target = request.url ?? "";
    const match = /^127\.0\.0\.1:(\d+)$/.exec(target);
    if (!match) return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    connects.push(target);
    const upstream = connect(Number(match[1]), "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
