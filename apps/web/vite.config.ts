import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { env } from "./env.ts";

const apiPort = env.API_PORT;

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/trpc": `http://localhost:${apiPort}`,
      "/api": `http://localhost:${apiPort}`,
      "/health": `http://localhost:${apiPort}`,
    },
  },
  build: {
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes("node_modules/recharts") || id.includes("node_modules/d3-")) return "charts";
          if (
            id.includes("node_modules/antd") ||
            id.includes("node_modules/@ant-design") ||
            id.includes("node_modules/rc-")
          )
            return "antd";
          return undefined;
        },
      },
    },
  },
});
