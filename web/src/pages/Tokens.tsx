import type { FormEvent } from "react";
import { useState } from "react";
import { api, call, must } from "../api";
import { Layout } from "../ui/Layout";
import { Async, Empty, useLoad } from "../ui/states";

export function TokensPage() {
  const [tokens, reload] = useLoad(() => must(api.GET("/api/v1/tokens")), []);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    must(api.POST("/api/v1/tokens", { body: { name } })).then(
      (t) => {
        setCreated(t.token);
        setName("");
        reload();
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  };
  const revoke = (id: number) => call(api.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: id } } })).then(reload);
  return (
    <Layout crumbs={<span>API tokens</span>}>
      <div className="page-head">
        <h1>API tokens</h1>
      </div>
      <section className="card">
        <p className="muted">Tokens let scripts and the labelhub SDK act as you. Send one as <code>Authorization: Bearer …</code>.</p>
        <form className="inline-form" onSubmit={create}>
          <input name="token-name" placeholder="Token name, e.g. nightly export" value={name} onChange={(e) => setName(e.target.value)} required />
          <button className="primary" type="submit">
            Create token
          </button>
        </form>
        {error && <p className="form-error">{error}</p>}
        {created && (
          <div className="token-once" role="status">
            Copy it now — it is shown once: <code data-testid="new-token">{created}</code>
          </div>
        )}
      </section>
      <Async value={tokens} retry={reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No tokens yet" />
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Prefix</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((t) => (
                  <tr key={t.id} className={t.revoked_at ? "revoked" : ""}>
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>{new Date(t.created_at).toLocaleString()}</td>
                    <td>{t.last_used_at ? new Date(t.last_used_at).toLocaleString() : "never"}</td>
                    <td className="num">{t.revoked_at ? <span className="muted">revoked</span> : <button onClick={() => void revoke(t.id)}>Revoke</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
    </Layout>
  );
}
