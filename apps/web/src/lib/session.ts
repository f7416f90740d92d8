import { useQuery } from "@tanstack/react-query";
import { type RouterOutputs, useTRPC } from "./trpc.ts";

export type Me = NonNullable<RouterOutputs["auth"]["me"]>;

export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
}

export const isOffice = (me: Me | null | undefined) => me?.role === "office" || me?.role === "admin";
