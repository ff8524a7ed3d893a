package bench

// queueScript is what an officer's phone holds after a long stretch with
// no signal: n signed ppwp submissions in the outbox, each with its pages
// photographed and compressed by the app. It drives the app's own modules
// (signing, the outbox, photo compression), as app.js's send does. One
// device has one version chain per contest, so submission i corrects
// version i (a reason is required); the ids start with i in hex because
// the outbox sends in id order and a correction must not overtake the
// version it corrects. %s is the configuration: {forms, photos}.
const queueScript = `(async (cfg) => {
	const base = document.querySelector('script[type="module"]').src.replace(/app\.js$/, "");
	const [device, outbox, db, photos] = await Promise.all(
		["device.js", "outbox.js", "db.js", "photos.js"].map((f) => import(base + f)));
	const d = await device.load();
	if (!d) throw new Error("the phone is not enrolled");
	const file = cfg.photos ? document.getElementById("bench-photo").files[0] : null;
	const sizes = [];
	for (const [i, form] of cfg.forms.entries()) {
		const id = i.toString(16).padStart(8, "0") + crypto.randomUUID().slice(8);
		const sub = { contest: "ppwp", form, id, source: d.source, tps: d.tps };
		if (i > 0) Object.assign(sub, { replaces: i, reason: "Koreksi angka ke-" + i });
		const wire = await device.signSubmission(d, sub);
		const pages = [];
		for (let p = 1; p <= cfg.photos; p++) {
			const c = await photos.compress(file);
			await db.put("photos", c.blob, photos.blobKey(id, p));
			pages.push({ page: p, pages: cfg.photos, sha256: c.sha256, size: c.size, state: "menunggu", sent: 0 });
			sizes.push(c.size);
		}
		await outbox.add({ id, contest: "ppwp", wire, form, rules: [], replaces: sub.replaces || 0, photos: pages });
	}
	return sizes;
})(%s)`

// syncState reads the outbox as the officer sees it: how many items, how
// many received, how many refused, and whether every photo is sent.
const syncState = `(() => {
	const items = [...document.querySelectorAll("#outbox li")];
	const photos = [...document.querySelectorAll(".photos-state")];
	return {
		items: items.length,
		received: items.filter((e) => e.dataset.state === "diterima").length,
		refused: items.filter((e) => e.dataset.state === "ditolak").length,
		photosDone: photos.every((e) => e.dataset.done === e.dataset.total),
	};
})()`

// addPhotoInput puts a file input outside the app's main element, which
// the app redraws.
const addPhotoInput = `(() => {
	const i = document.createElement("input");
	i.type = "file";
	i.id = "bench-photo";
	i.hidden = true;
	document.body.append(i);
	return true;
})()`
