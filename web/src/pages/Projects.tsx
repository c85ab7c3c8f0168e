import type { Project } from "../api";
import { api, must } from "../api";
import { Layout, ProgressBar } from "../ui/Layout";
import { Link } from "../ui/router";
import { Async, Empty, useLoad } from "../ui/states";
import { NewProject } from "./NewProject";

/** The project list carries each project's task counts by state (one grouped query on the server). */
async function loadProjects(): Promise<Project[]> {
  const page = await must(api.GET("/api/v1/projects", { params: { query: { limit: 100 } } }));
  return page.items;
}

export function ProjectsPage() {
  const [projects, reload] = useLoad(loadProjects, []);
  return (
    <Layout crumbs={<span>Projects</span>}>
      <div className="page-head">
        <h1>Projects</h1>
      </div>
      <Async value={projects} retry={reload}>
        {(items) =>
          items.length === 0 ? (
            <Empty title="No projects yet">
              <p>Create a project below: name it and list the classes labelers will draw.</p>
            </Empty>
          ) : (
            <table className="table projects">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Your role</th>
                  <th className="wide">Progress</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/projects/${p.id}`}>{p.name}</Link>
                      {p.description && <div className="muted small">{p.description}</div>}
                    </td>
                    <td>
                      <span className={`role role-${p.role}`}>{p.role}</span>
                    </td>
                    <td>
                      <ProgressBar counts={p.task_counts} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
      <NewProject onCreated={reload} />
    </Layout>
  );
}
