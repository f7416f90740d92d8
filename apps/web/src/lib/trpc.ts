import type { AppRouter, RouterInputs, RouterOutputs } from "@gongkai/api";
import { QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

export type { RouterInputs, RouterOutputs };
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: "/trpc",
      fetch: (url, init) => fetch(url, { ...init, credentials: "same-origin" }),
    }),
  ],
});

/** The message to show a person for any error from the API. */
export function errorMessage(e: unknown): string {
  if (e instanceof TRPCClientError) return e.message;
  if (e instanceof Error) return e.message;
  return "操作失败,请稍后重试。";
}

export const isUnauthorized = (e: unknown) => e instanceof TRPCClientError && e.data?.code === "UNAUTHORIZED";

export function createQueryClient(onUnauthorized: () => void) {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, e) => !isUnauthorized(e) && count < 2,
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
    },
    queryCache: new QueryCache({
      onError: (e) => {
        if (isUnauthorized(e)) onUnauthorized();
      },
    }),
  });
}
