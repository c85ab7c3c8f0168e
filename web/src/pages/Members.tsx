import type { FormEvent } from "react";
import { useState } from "react";
import type { Project, Role } from "../api";
import { api, call, must } from "../api";
import { Async, useLoad } from "../ui/states";

const ROLES: Role[] = ["labeler", "reviewer", "manager"];

export function MembersTab({ project }: { project: Project }) {
  const path = { params: { path: { project_id: project.id } } };
  const [members, reload] = useLoad(() => must(api.GET("/api/v1/projects/{project_id}/members", path)), [project.id]);
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("labeler");
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));
  const set = (name: string, r: Role) => {
    setError(null);
    call(api.PUT("/api/v1/projects/{project_id}/members", { ...path, body: { username: name, role: r } })).then(reload, fail);
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    set(username, role);
    setUsername("");
  };
  const remove = (userId: number) =>
    call(api.DELETE("/api/v1/projects/{project_id}/members/{user_id}", { params: { path: { project_id: project.id, user_id: userId } } })).then(reload, fail);
  return (
    <section className="card">
      <h2>Members</h2>
      <Async value={members} retry={reload}>
        {(list) => (
          <table className="table">
            <thead>
              <tr>
                <th>User</th>
                <th>Role</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={m.user_id}>
                  <td>
                    {m.display_name || m.username} <span className="muted small">@{m.username}</span>
                  </td>
                  <td>
                    <select aria-label={`Role of ${m.username}`} value={m.role} onChange={(e) => set(m.username, e.target.value as Role)}>
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td className="num">
                    <button onClick={() => void remove(m.user_id)}>Remove</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <form className="inline-form" onSubmit={add} aria-label="Add member">
        <input name="member-username" placeholder="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <select name="member-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button type="submit">Add member</button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
