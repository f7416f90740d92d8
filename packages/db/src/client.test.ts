import { describe, expect, it } from "vitest";
import { unixSocket } from "./client.ts";

describe("a DATABASE_URL naming a Unix socket, as libpq does", () => {
  it("takes the socket directory out of the URL and points postgres.js at the socket file", () => {
    expect(unixSocket("postgres://postgres@localhost/gongkai?host=/var/run/postgresql")).toEqual({
      url: "postgres://postgres@localhost/gongkai",
      path: "/var/run/postgresql/.s.PGSQL.5432",
    });
    expect(unixSocket("postgres://app:secret@localhost:5433/gk?host=/tmp/&sslmode=disable")).toEqual({
      url: "postgres://app:secret@localhost:5433/gk?sslmode=disable",
      path: "/tmp/.s.PGSQL.5433",
    });
  });

  it("leaves a TCP URL alone", () => {
    const url = "postgres://postgres@127.0.0.1:5432/gongkai?host=db.internal";
    expect(unixSocket(url)).toEqual({ url, path: null });
    expect(unixSocket("postgres://postgres@127.0.0.1:5432/gongkai")).toEqual({
      url: "postgres://postgres@127.0.0.1:5432/gongkai",
      path: null,
    });
  });
});
