"""docker-compose.yaml is valid and runs every Proyecto the way the course promises."""

from harness.repo import COMPOSE_FILE, ROOT, proyectos, service_of, uv_image


def lab_services(compose_config: dict) -> dict:
    return {name: compose_config["services"][name] for name in map(service_of, proyectos())}


def test_every_proyecto_is_a_service(compose_config):
    """Each Proyectos/ProyectoN folder has a service: the folder's own Dockerfile over it, FROM the lab's base."""
    for proyecto in proyectos():
        service = compose_config["services"].get(service_of(proyecto))
        assert service, f"{proyecto} has no service {service_of(proyecto)!r} in docker-compose.yaml"
        build = service["build"]
        assert build["context"] == str(ROOT / "Proyectos" / proyecto), build
        assert build["dockerfile"] == "Dockerfile", build
        assert build["additional_contexts"]["lab-base"] == "service:lab-base", build


# Official images run as they are published, never built here.
PULLED_IMAGES = {"postgres": "postgres:17", "redis": "redis:8"}


def test_no_image_has_a_fixed_name(compose_config):
    """No built service names its image: Compose names each <project>-<service>, so a test project never replaces
    a student's images and two checkouts of the lab never fight over one tag. Only official images are pulled."""
    named = {name: s["image"] for name, s in compose_config["services"].items() if "image" in s}
    assert named == PULLED_IMAGES, f"services with a fixed image name: {named}"
    assert not any("build" in compose_config["services"][name] for name in named), "a pulled image is also built"


def test_uv_is_pinned_once(compose_config):
    """Every build mounts the same uv, named once in docker-compose.yaml; no Dockerfile names a uv image."""
    builds = {name: s["build"] for name, s in compose_config["services"].items() if "build" in s}
    image = f"docker-image://{uv_image()}"
    for name, build in builds.items():
        assert build.get("additional_contexts", {}).get("uv") == image, f"{name} builds without the pinned uv"
    for dockerfile in ROOT.rglob("Dockerfile"):
        assert "astral-sh/uv" not in dockerfile.read_text(), f"{dockerfile} names a uv image; mount the context `uv`"


def test_every_service_is_on_the_lab_network(compose_config):
    """Every service, the build-only base included, is on `lab`: Compose creates no stray default network."""
    for name, service in compose_config["services"].items():
        assert list(service.get("networks", {})) == ["lab"], f"{name} networks: {service.get('networks')}"


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
    """With no .env, every lab listens on 127.0.0.1 only, each on its own host port, the same in its container."""
    host_ports = []
    for name, service in lab_services(compose_config).items():
        ports = service["ports"]
        assert [p["host_ip"] for p in ports] == ["127.0.0.1"], f"{name} ports: {ports}"
        assert str(ports[0]["target"]) == ports[0]["published"] == service["environment"]["LAB_PORT"], (
            f"{name}: JupyterLab must listen on its published port (LAB_PORT), so the URL it prints opens it: {ports}")
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
