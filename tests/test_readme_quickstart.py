"""The README's start and URL commands, run exactly as written in a copy of the repository, open every lab.

The copy gets a compose project name of its own (COMPOSE_PROJECT_NAME, as a
second checkout would) and free host ports (as a student's .env would), so it
has none of the lab's images to start with and never touches a student's lab.
No token is set: the labs make up their own, as on a student's first start.
"""

import json
import re
import shlex
import subprocess
import time
import uuid

import pytest

from conftest import TIMINGS
from harness import airflow_rest
from harness.compose import http_get, isolated_environment, remove_project_images, wait_until
from harness.repo import ROOT, copy_repo, proyectos, service_of

pytestmark = pytest.mark.e2e

README = (ROOT / "README.md").read_text()
BASH_LINES = [line.strip() for block in re.findall(r"```bash\n(.*?)```", README, re.S) for line in block.splitlines()]
START = "docker compose up --build -d"
AIRFLOW_PASSWORD_COMMAND = "docker compose exec airflow-apiserver airflow-password"
URL_COMMANDS = {match.group(1): line for line in BASH_LINES
                if (match := re.fullmatch(r"docker compose exec (\w+) lab-url", line))}


def run(command: str, cwd, env) -> str:
    """Run a README command line as a shell would split it; fail with its output."""
    result = subprocess.run(shlex.split(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, (
        f"`{command}` exited {result.returncode}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def long_running_services(config: dict) -> set[str]:
    """The services `up` starts (default profile) minus the one-shot ones others wait to complete (airflow-init)
    and the build-only ones (`scale: 0`, lab-base)."""
    one_shot = {name for service in config["services"].values()
                for name, condition in (service.get("depends_on") or {}).items()
                if condition.get("condition") == "service_completed_successfully"}
    build_only = {name for name, service in config["services"].items()
                  if service.get("scale") == 0 or (service.get("deploy") or {}).get("replicas") == 0}
    return set(config["services"]) - one_shot - build_only


@pytest.fixture(scope="module")
def readme_lab(tmp_path_factory):
    """A copy of the repository started with the README's command; always `down -v` and its images removed."""
    project = f"tfxlab-readme-{uuid.uuid4().hex[:8]}"
    folder = copy_repo(tmp_path_factory.mktemp("clone") / "tfx-lab")
    env = isolated_environment(project, token="", compose_file=folder / "docker-compose.yaml")
    for variable in ("JUPYTER_TOKEN", "LAB_HOST_IP"):  # the README's defaults: a random token, 127.0.0.1
        env.pop(variable)
    try:
        started = time.monotonic()
        run(START, folder, env)
        services = long_running_services(json.loads(run("docker compose config --format json", folder, env)))
        assert {service_of(p) for p in proyectos(folder)} <= services, f"the README's command starts {services}"

        def all_healthy():
            states = dict(line.split("=", 1) for line in
                          run("docker compose ps --format {{.Service}}={{.Health}}", folder, env).split())
            waiting = {s: states.get(s, "not started") for s in services if states.get(s) != "healthy"}
            assert not waiting, f"not healthy yet: {waiting}"
            return True

        wait_until(all_healthy, timeout=420, what="every service of the README's lab to be healthy")
        TIMINGS["README up --build -d to healthy"] = time.monotonic() - started
        yield folder, env
    finally:
        subprocess.run(["docker", "compose", "down", "-v", "--remove-orphans"], cwd=folder, env=env,
                       capture_output=True, timeout=300)
        remove_project_images(project)


def test_readme_has_a_url_command_per_lab():
    """The README's start command is there, and one `lab-url` line for every Proyecto."""
    assert START in BASH_LINES, f"the README no longer says `{START}`"
    assert sorted(URL_COMMANDS) == [service_of(p) for p in proyectos()], URL_COMMANDS


@pytest.mark.parametrize("proyecto", proyectos())
def test_printed_url_opens_the_lab_with_its_token(readme_lab, proyecto):
    """The URL the README's command prints names 127.0.0.1 and the lab's own port, and its token is accepted."""
    folder, env = readme_lab
    service = service_of(proyecto)
    url = run(URL_COMMANDS[service], folder, env).strip()
    port = env[f"{service.upper()}_PORT"]
    match = re.fullmatch(rf"http://127\.0\.0\.1:{port}/lab\?token=(\w{{32,}})", url)
    assert match, f"`{URL_COMMANDS[service]}` printed {url!r}, not http://127.0.0.1:{port}/lab?token=<token>"
    status, final_url, body = http_get(url)
    assert status == 200 and "/login" not in final_url, f"{url} ended at {final_url} ({status})"
    status, _, _ = http_get(f"http://127.0.0.1:{port}/api/contents?token={match.group(1)}")
    assert status == 200, f"the printed token was refused by the API ({status})"


@pytest.mark.parametrize("proyecto", proyectos())
def test_log_prints_the_same_url(readme_lab, proyecto):
    """`docker compose logs <lab>` shows that URL, and no other lab URL a student could copy by mistake."""
    folder, env = readme_lab
    service = service_of(proyecto)
    url = run(URL_COMMANDS[service], folder, env).strip()
    logs = run(f"docker compose logs {service}", folder, env)
    printed = set(re.findall(r"https?://\S+/lab\?token=\S+", logs))
    assert printed == {url}, f"{service}'s log prints {printed}, expected only {url}"


def test_hyphenated_compose_spelling_works_too(readme_lab):
    """`docker-compose up --build -d` and `docker-compose exec <lab> lab-url` do what the README's commands do."""
    folder, env = readme_lab
    run(START.replace("docker compose", "docker-compose"), folder, env)
    for command in URL_COMMANDS.values():
        assert run(command.replace("docker compose", "docker-compose"), folder, env) == run(command, folder, env)


def test_airflow_password_command_logs_in(readme_lab):
    """The README's `airflow-password` line prints the generated admin password, and it gets a REST API token."""
    assert AIRFLOW_PASSWORD_COMMAND in BASH_LINES, f"the README no longer says `{AIRFLOW_PASSWORD_COMMAND}`"
    folder, env = readme_lab
    printed = run(AIRFLOW_PASSWORD_COMMAND, folder, env)
    match = re.search(r"usuario: admin\s+contraseña: (\S{12,})", printed)
    assert match, f"`{AIRFLOW_PASSWORD_COMMAND}` printed {printed!r}"
    airflow_rest.token(f"http://127.0.0.1:{env['AIRFLOW_PORT']}", match.group(1))
