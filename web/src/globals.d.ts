// Values Vite bakes into the app at build time (see vite.config.ts).
declare const __LAB_BUILD__: string;
