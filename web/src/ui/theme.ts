import { useEffect, useState } from "react";

export type Theme = "dark" | "light";
const KEY = "labelhub.theme";

/** Dark by default (reading rooms, long shifts); light on request, remembered per browser. */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(() => (window.localStorage.getItem(KEY) === "light" ? "light" : "dark"));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    window.localStorage.setItem(KEY, theme);
  }, [theme]);
  return [theme, () => setTheme(theme === "dark" ? "light" : "dark")];
}
