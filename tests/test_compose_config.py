"""docker-compose.yaml is valid and runs every Proyecto the way the course promises."""

from lab import COMPOSE_FILE, JUPYTER_PORT, ROOT, proyectos, service_of


def lab_services(compose_config: dict) -> dict:
    return {name: compose_config["services"][name] for name in map(service_of, proyectos())}


def test_every_proyecto_is_a_service(compose_config):
    """Each Proyectos/ProyectoN folder has a service built from its own Dockerfile."""
    for proyecto in proyectos():
        service = compose_config["services"].get(service_of(proyecto))
        assert service, f"{proyecto} has no service {service_of(proyecto)!r} in docker-compose.yaml"
        assert service["build"]["dockerfile"].endswith(f"Proyectos/{proyecto}/Dockerfile"), service["build"]


def test_no_obsolete_version_key():
    """The file has no top-level `version:` key (obsolete in Compose v2)."""
    top_level_keys = [line.split(":")[0] for line in COMPOSE_FILE.read_text().splitlines() if line[:1].isalpha()]
    assert "version" not in top_level_keys


def test_labs_share_network_and_tfx_volume(compose_config):
    """Every lab is on the same named network and mounts the shared TFX volume at /tfx."""
    for name, service in lab_services(compose_config).items():
        assert list(service["networks"]) == ["lab"], f"{name} networks: {service['networks']}"
        tfx = [v for v in service["volumes"] if v["target"] == "/tfx"]
        assert tfx and tfx[0]["type"] == "volume" and tfx[0]["source"] == "tfx", f"{name} /tfx mount: {tfx}"


def test_each_lab_has_its_own_work_volume(compose_config):
    """Each lab keeps the student's folder in a named volume of its own."""
    sources = []
    for name, service in lab_services(compose_config).items():
        work = [v for v in service["volumes"] if v["target"] == "/home/lab/work"]
        assert work and work[0]["type"] == "volume", f"{name} has no named work volume: {service['volumes']}"
        sources.append(work[0]["source"])
    assert len(set(sources)) == len(sources), f"labs share a work volume: {sources}"


def test_shared_data_is_read_only(compose_config):
    """shared-data/ is bind-mounted read-only at /data."""
    for name, service in lab_services(compose_config).items():
        data = [v for v in service["volumes"] if v["target"] == "/data"]
        assert data and data[0].get("read_only") is True, f"{name} /data mount: {data}"
        assert data[0]["source"] == str(ROOT / "shared-data")


def test_ports_bind_to_localhost_by_default(compose_config):
    """With no .env, every published port listens on 127.0.0.1 only, each on its own host port."""
    host_ports = []
    for name, service in lab_services(compose_config).items():
        ports = service["ports"]
        assert [p["host_ip"] for p in ports] == ["127.0.0.1"], f"{name} ports: {ports}"
        assert ports[0]["target"] == JUPYTER_PORT
        host_ports.append(ports[0]["published"])
    assert len(set(host_ports)) == len(host_ports), f"labs share a host port: {host_ports}"


def test_labs_are_amd64_restarting_and_token_configurable(compose_config):
    """Labs pin linux/amd64, restart unless stopped and take JUPYTER_TOKEN from the environment."""
    for name, service in lab_services(compose_config).items():
        assert service["platform"] == "linux/amd64", name
        assert service["restart"] == "unless-stopped", name
        assert service["environment"]["JUPYTER_TOKEN"] == "", f"{name}: with no .env the token must be empty (random)"


def test_env_example_documents_every_variable(compose_config):
    """.env.example names every variable docker-compose.yaml reads."""
    import re

    used = set(re.findall(r"\$\{(\w+)", COMPOSE_FILE.read_text()))
    documented = set(re.findall(r"^#?\s*(\w+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used <= documented, f"undocumented in .env.example: {sorted(used - documented)}"
