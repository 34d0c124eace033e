/*
 * elf.c - SP1 guest ELF loading with the per-version rules of
 * sp1-executor-abi.md §1, and SP1 version detection.
 *
 * Detection order: an "sp1-zkvm-X.Y.Z" string (the crate path the guest
 * was built from), then the "rustc version 1.N" string of the succinct
 * toolchain (<= 1.81: v3, 1.82..1.84: v4, >= 1.85: v5), then v5 with a
 * warning. The caller can force a major version.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "zkvm/decode.h"
#include "zkvm/program.h"

#define PT_LOAD           1u
#define PF_X              1u
#define PF_W              2u
#define SHT_PROGBITS      1u
#define SHT_NOBITS        8u
#define BABYBEAR_P        0x78000001u
#define LOW_SEGMENT_LIMIT 0x00200800u

bool zkvm_version_ge(const struct zkvm_sp1_version *v, int maj, int min,
                     int pat)
{
    int vmin = v->minor < 0 ? 999 : v->minor;
    int vpat = (v->minor < 0 || v->patch < 0) ? 999 : v->patch;

    if ((int)v->major != maj) {
        return (int)v->major > maj;
    }
    if (vmin != min) {
        return vmin > min;
    }
    return vpat >= pat;
}

/* Parses a decimal number of at most 4 digits at p; -1 if none. */
static int parse_small(const uint8_t *p, const uint8_t *end, size_t *used)
{
    int v = 0;
    size_t n = 0;
    while (p + n < end && n < 4 && p[n] >= '0' && p[n] <= '9') {
        v = v * 10 + (p[n] - '0');
        n++;
    }
    *used = n;
    return n ? v : -1;
}

/* Copies a pre-release suffix such as "-rc.9" that starts at p into pre
 * (at most pre_size - 1 characters of [-.0-9A-Za-z]); "" when none. The vk
 * of a pre-release can differ from the release's, so it must not be lost. */
static void copy_prerelease(char *pre, size_t pre_size, const uint8_t *p,
                            const uint8_t *end)
{
    size_t n = 0;
    if (p < end && *p == '-') {
        while (p + n < end && n + 1 < pre_size &&
               (p[n] == '-' || p[n] == '.' || (p[n] >= '0' && p[n] <= '9') ||
                (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))) {
            pre[n] = (char)p[n];
            n++;
        }
    }
    pre[n] = '\0';
}

/* Finds "sp1-zkvm-X.Y.Z[-pre]"; true when found (first occurrence wins). */
static bool detect_from_string(const uint8_t *elf, size_t len, int *maj,
                               int *min, int *pat, char *pre, size_t pre_size)
{
    static const char tag[] = "sp1-zkvm-";
    const size_t tl = sizeof(tag) - 1;
    const uint8_t *end = elf + len;
    const uint8_t *p = elf;
    bool found = false;

    while ((size_t)(end - p) > tl) {
        const uint8_t *hit = memmem(p, (size_t)(end - p), tag, tl);
        size_t u1, u2, u3;
        int a, b, c;
        if (!hit) {
            break;
        }
        p = hit + tl;
        a = parse_small(p, end, &u1);
        if (a < 0 || p + u1 >= end || p[u1] != '.') {
            continue;
        }
        b = parse_small(p + u1 + 1, end, &u2);
        if (b < 0 || p + u1 + 1 + u2 >= end || p[u1 + 1 + u2] != '.') {
            continue;
        }
        c = parse_small(p + u1 + 2 + u2, end, &u3);
        if (c < 0) {
            continue;
        }
        if (!found) {
            *maj = a;
            *min = b;
            *pat = c;
            copy_prerelease(pre, pre_size, p + u1 + 2 + u2 + u3, end);
            found = true;
        } else if (a != *maj || b != *min || c != *pat) {
            zk_warn("zkvm: detect version: ELF names both sp1-zkvm-%d.%d.%d "
                    "and %d.%d.%d; using the first",
                    *maj, *min, *pat, a, b, c);
            break;
        }
    }
    return found;
}

/* Finds "rustc version 1.N"; returns N or -1. */
static int detect_rustc_minor(const uint8_t *elf, size_t len)
{
    static const char tag[] = "rustc version 1.";
    const size_t tl = sizeof(tag) - 1;
    const uint8_t *hit = memmem(elf, len, tag, tl);
    size_t used;
    if (!hit) {
        return -1;
    }
    return parse_small(hit + tl, elf + len, &used);
}

static void detect_version(struct zkvm_sp1_version *v, const uint8_t *elf,
                           size_t len, enum zkvm_sp1_major force)
{
    int maj = 0, min = -1, pat = -1;
    enum zkvm_version_source src = ZKVM_VERSION_DEFAULT;
    int rustc = -1;
    char pre[16] = "";

    if (detect_from_string(elf, len, &maj, &min, &pat, pre, sizeof(pre)) &&
        maj >= 3 && maj <= 5) {
        src = ZKVM_VERSION_STRING;
    } else {
        if (maj > 5 || (maj > 0 && maj < 3)) {
            zk_warn("zkvm: detect version: sp1-zkvm-%d.x is not a supported "
                    "major; falling back",
                    maj);
        }
        min = pat = -1;
        rustc = detect_rustc_minor(elf, len);
        if (rustc >= 0) {
            src = ZKVM_VERSION_RUSTC;
            maj = rustc <= 81 ? 3 : (rustc <= 84 ? 4 : 5);
        } else {
            maj = 5;
        }
    }

    memset(v, 0, sizeof(*v));
    v->major = (enum zkvm_sp1_major)maj;
    v->minor = min;
    v->patch = pat;
    v->is_detected = true;
    v->source = src;
    /* The X.Y.Z[-pre] text (vk_v45 reads the pre-release from it) is never
     * cut: three numbers of <= 4 digits, two dots and pre. The display-only
     * " (forced)" forms may be. */
    _Static_assert(sizeof(v->text) >= 3 * 4 + 2 + sizeof(pre), "text fits");
    switch (src) {
    case ZKVM_VERSION_STRING:
        (void)snprintf(v->text, sizeof(v->text), "%d.%d.%d%s", maj, min, pat,
                       pre);
        break;
    case ZKVM_VERSION_RUSTC:
        (void)snprintf(v->text, sizeof(v->text), "v%d (rustc 1.%d)", maj,
                       rustc);
        break;
    default:
        (void)snprintf(v->text, sizeof(v->text), "v%d (default)", maj);
        zk_warn("zkvm: detect version: no SP1 version marker in the ELF; "
                "assuming v5 (force one with --sp1-version)");
        break;
    }

    if (force != ZKVM_SP1_AUTO) {
        if (force != v->major) {
            v->minor = -1;
            v->patch = -1;
            (void)snprintf(v->text, sizeof(v->text), "v%d (forced)",
                           (int)force);
        } else if (v->minor >= 0) {
            (void)snprintf(v->text, sizeof(v->text), "%d.%d.%d%s (forced)", maj,
                           v->minor, v->patch, pre);
        } else {
            (void)snprintf(v->text, sizeof(v->text), "v%d (forced)",
                           (int)force);
        }
        v->major = force;
        v->is_detected = false;
        v->source = ZKVM_VERSION_FORCED;
    }
}

void zkvm_program_cleanup(struct zkvm_program *p)
{
    if (!p) {
        return;
    }
    zk_free(p->insns);
    zk_free(p->image);
    p->insns = NULL;
    p->image = NULL;
    p->n_insns = 0;
    p->n_image = 0;
}

struct phdr {
    uint32_t type, offset, vaddr, filesz, memsz, flags;
};

static void read_phdr(const uint8_t *p, struct phdr *h)
{
    h->type = zk_load_le32(p);
    h->offset = zk_load_le32(p + 4);
    h->vaddr = zk_load_le32(p + 8);
    h->filesz = zk_load_le32(p + 16);
    h->memsz = zk_load_le32(p + 20);
    h->flags = zk_load_le32(p + 24);
}

/* v5 rule: a low segment must not overlap a PROGBITS/NOBITS section. */
static enum zk_err check_low_segment(const uint8_t *elf, size_t len,
                                     const struct phdr *h)
{
    uint32_t shoff = zk_load_le32(elf + 32);
    uint32_t shentsize = elf[46] | ((uint32_t)elf[47] << 8);
    uint32_t shnum = elf[48] | ((uint32_t)elf[49] << 8);
    uint64_t seg_lo = h->vaddr, seg_hi = (uint64_t)h->vaddr + h->filesz;

    if (shnum == 0) {
        return ZK_OK;
    }
    if (shentsize != 40 || (uint64_t)shoff + (uint64_t)shnum * 40 > len) {
        zk_error("zkvm: load elf: section header table out of bounds");
        return ZK_EINVAL;
    }
    for (uint32_t i = 0; i < shnum; i++) {
        const uint8_t *s = elf + shoff + (size_t)i * 40;
        uint32_t type = zk_load_le32(s + 4);
        uint64_t lo = zk_load_le32(s + 12);
        uint64_t hi = lo + zk_load_le32(s + 20);
        if (type != SHT_PROGBITS && type != SHT_NOBITS) {
            continue;
        }
        if (lo < seg_hi && seg_lo < hi) {
            zk_error("zkvm: load elf: segment at 0x%08x overlaps section %u "
                     "below 0x%08x (v5 rule; old compiler flags?)",
                     h->vaddr, i, LOW_SEGMENT_LIMIT);
            return ZK_EINVAL;
        }
    }
    return ZK_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

/* Sorts the image by address; a later word at the same address wins. */
static enum zk_err sort_image(struct zkvm_program *p)
{
    uint64_t *keys;
    struct zkvm_image_word *out;
    size_t n = p->n_image, m = 0;
    bool sorted = true;

    for (size_t i = 1; i < n && sorted; i++) {
        sorted = p->image[i - 1].addr < p->image[i].addr;
    }
    if (sorted) {
        return ZK_OK;
    }

    keys = zk_calloc(n, sizeof(*keys));
    out = zk_calloc(n, sizeof(*out));
    if (!keys || !out) {
        zk_free(keys);
        zk_free(out);
        return ZK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        keys[i] = ((uint64_t)p->image[i].addr << 32) | (uint64_t)i;
    }
    qsort(keys, n, sizeof(*keys), cmp_u64);
    for (size_t i = 0; i < n; i++) {
        uint32_t addr = (uint32_t)(keys[i] >> 32);
        if (i + 1 < n && (uint32_t)(keys[i + 1] >> 32) == addr) {
            continue; /* a later segment overwrote this word */
        }
        out[m].addr = addr;
        out[m].value = p->image[(uint32_t)keys[i]].value;
        m++;
    }
    zk_free(keys);
    zk_free(p->image);
    p->image = out;
    p->n_image = m;
    return ZK_OK;
}

static enum zk_err check_header(const uint8_t *elf, size_t len)
{
    if (len > ZK_MAX_ELF_SIZE) {
        zk_error("zkvm: load elf: %zu bytes exceeds the %u byte limit", len,
                 ZK_MAX_ELF_SIZE);
        return ZK_ELIMIT;
    }
    if (len < 16 || memcmp(elf, "\177ELF", 4) != 0) {
        zk_error("zkvm: load elf: not an ELF file");
        return ZK_EINVAL;
    }
    if (elf[4] == 2) {
        zk_error("zkvm: load elf: 64-bit ELF (SP1 v6 / RV64 guests) is not "
                 "supported; only SP1 v3-v5 RV32IM guests run here");
        return ZK_EUNSUPPORTED;
    }
    if (elf[4] != 1 || len < 52) {
        zk_error("zkvm: load elf: not an ELF32 file");
        return ZK_EINVAL;
    }
    if (elf[5] != 1) {
        zk_error("zkvm: load elf: not little-endian");
        return ZK_EINVAL;
    }
    if ((elf[16] | (elf[17] << 8)) != 2) {
        zk_error("zkvm: load elf: not an executable (ET_EXEC)");
        return ZK_EINVAL;
    }
    if ((elf[18] | (elf[19] << 8)) != 243) {
        zk_error("zkvm: load elf: not a RISC-V ELF (e_machine %u)",
                 (unsigned)(elf[18] | (elf[19] << 8)));
        return ZK_EINVAL;
    }
    return ZK_OK;
}

/* Grows an array of elem-sized items so that it holds need items. */
static enum zk_err grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;
    if (need <= *cap) {
        return ZK_OK;
    }
    ncap = *cap ? *cap : 1024;
    while (ncap < need) {
        ncap *= 2;
    }
    p = zk_realloc(*arr, ncap * elem);
    if (!p) {
        return ZK_ENOMEM;
    }
    *arr = p;
    *cap = ncap;
    return ZK_OK;
}

static enum zk_err load_segment(struct zkvm_program *p, const uint8_t *elf,
                                size_t len, const struct phdr *h, bool v5,
                                size_t *cap_img, size_t *cap_ins)
{
    bool exec = (h->flags & PF_X) != 0;
    size_t words = ((size_t)h->memsz + 3) / 4;
    enum zk_err err;

    if (p->n_image + words > ZKVM_MAX_IMAGE_WORDS) {
        zk_error("zkvm: load elf: image exceeds %u words",
                 ZKVM_MAX_IMAGE_WORDS);
        return ZK_ELIMIT;
    }
    err = grow((void **)&p->image, cap_img, p->n_image + words,
               sizeof(*p->image));
    if (!err && exec) {
        err = grow((void **)&p->insns, cap_ins, p->n_insns + words,
                   sizeof(*p->insns));
    }
    if (err) {
        return err;
    }

    for (uint64_t i = 0; i < h->memsz; i += 4) {
        uint64_t addr = (uint64_t)h->vaddr + i;
        uint32_t word = 0;
        if (addr > 0xffffffffu || (!v5 && addr == 0xffffffffu) ||
            (v5 && addr >= BABYBEAR_P)) {
            zk_error("zkvm: load elf: segment at 0x%08x reaches invalid "
                     "address 0x%llx",
                     h->vaddr, (unsigned long long)addr);
            return ZK_EINVAL;
        }
        if (i < h->filesz) {
            uint64_t nb = h->filesz - i < 4 ? h->filesz - i : 4;
            uint64_t off = (uint64_t)h->offset + i;
            if (off + nb > len) {
                zk_error("zkvm: load elf: segment at 0x%08x reads past the "
                         "end of the file",
                         h->vaddr);
                return ZK_EINVAL;
            }
            for (uint64_t k = 0; k < nb; k++) {
                word |= (uint32_t)elf[off + k] << (8 * k);
            }
            if (exec) {
                struct zkvm_insn d;
                if (!zkvm_decode(word, &d)) {
                    zk_error("zkvm: load elf: undecodable instruction 0x%08x "
                             "at 0x%08x (SP1's transpiler rejects it)",
                             word, (uint32_t)addr);
                    return ZK_EINVAL;
                }
                p->insns[p->n_insns++] = word;
            }
        }
        p->image[p->n_image].addr = (uint32_t)addr;
        p->image[p->n_image].value = word;
        p->n_image++;
    }
    return ZK_OK;
}

enum zk_err zkvm_program_load(struct zkvm_program *out, const uint8_t *elf,
                              size_t len, enum zkvm_sp1_major force)
{
    struct zkvm_program p;
    enum zk_err err;
    uint32_t phoff, phentsize, phnum;
    size_t cap_img = 0, cap_ins = 0;
    bool v5, strict, have_exec = false;
    uint64_t prev_end = 0;
    uint32_t min_exec = 0xffffffffu;

    memset(&p, 0, sizeof(p));
    memset(out, 0, sizeof(*out));
    if (force != ZKVM_SP1_AUTO && force != ZKVM_SP1_V3 &&
        force != ZKVM_SP1_V4 && force != ZKVM_SP1_V5) {
        zk_error("zkvm: load elf: unknown SP1 version %d", (int)force);
        return ZK_EINVAL;
    }
    err = check_header(elf, len);
    if (err) {
        return err;
    }
    detect_version(&p.version, elf, len, force);
    v5 = p.version.major >= ZKVM_SP1_V5;
    strict = zkvm_version_ge(&p.version, 4, 1, 6);

    p.pc_start = zk_load_le32(elf + 24);
    if (p.pc_start == 0xffffffffu || p.pc_start % 4 != 0) {
        zk_error("zkvm: load elf: bad entry point 0x%08x", p.pc_start);
        err = ZK_EINVAL;
        goto out;
    }
    phoff = zk_load_le32(elf + 28);
    phentsize = elf[42] | ((uint32_t)elf[43] << 8);
    phnum = elf[44] | ((uint32_t)elf[45] << 8);
    if (phnum > ZK_MAX_ELF_PHDRS) {
        zk_error("zkvm: load elf: %u program headers (max %u)", phnum,
                 ZK_MAX_ELF_PHDRS);
        err = ZK_EINVAL;
        goto out;
    }
    if (phnum &&
        (phentsize != 32 || (uint64_t)phoff + (uint64_t)phnum * 32 > len)) {
        zk_error("zkvm: load elf: program header table out of bounds");
        err = ZK_EINVAL;
        goto out;
    }

    for (uint32_t i = 0; i < phnum; i++) {
        struct phdr h;
        bool exec;
        read_phdr(elf + phoff + (size_t)i * 32, &h);
        if (h.type != PT_LOAD) {
            continue;
        }
        exec = (h.flags & PF_X) != 0;
        if (h.filesz == 0xffffffffu || h.memsz == 0xffffffffu ||
            h.vaddr % 4 != 0) {
            zk_error("zkvm: load elf: bad PT_LOAD %u (vaddr 0x%08x)", i,
                     h.vaddr);
            err = ZK_EINVAL;
            goto out;
        }
        if (h.filesz > h.memsz) {
            /* SP1 reads only memsz bytes; keep its behaviour but note it. */
            zk_warn("zkvm: load elf: PT_LOAD %u has filesz > memsz", i);
        }
        if (strict) {
            if ((uint64_t)h.vaddr < prev_end) {
                zk_error("zkvm: load elf: PT_LOAD %u at 0x%08x overlaps or is "
                         "out of order (v4.1.6+ rule)",
                         i, h.vaddr);
                err = ZK_EINVAL;
                goto out;
            }
            prev_end = (uint64_t)h.vaddr + h.memsz;
            if (exec) {
                if (!have_exec) {
                    p.pc_base = h.vaddr;
                    if (p.pc_base <= 0x20) {
                        zk_error("zkvm: load elf: text starts at 0x%08x, "
                                 "must be above 0x20",
                                 p.pc_base);
                        err = ZK_EINVAL;
                        goto out;
                    }
                } else if ((uint64_t)h.vaddr !=
                           (uint64_t)p.pc_base + 4 * (uint64_t)p.n_insns) {
                    zk_error("zkvm: load elf: executable segments are not "
                             "contiguous (v4.1.6+ rule)");
                    err = ZK_EINVAL;
                    goto out;
                }
            }
        }
        if (v5) {
            if (exec && (h.flags & PF_W)) {
                zk_error("zkvm: load elf: PT_LOAD %u is writable and "
                         "executable (v5 rule)",
                         i);
                err = ZK_EINVAL;
                goto out;
            }
            if (h.vaddr < LOW_SEGMENT_LIMIT) {
                err = check_low_segment(elf, len, &h);
                if (err) {
                    goto out;
                }
            }
        }
        if (exec) {
            have_exec = true;
            if (h.vaddr < min_exec) {
                min_exec = h.vaddr;
            }
        }
        err = load_segment(&p, elf, len, &h, v5, &cap_img, &cap_ins);
        if (err) {
            goto out;
        }
    }
    if (!strict) {
        p.pc_base = min_exec;
    }
    if (!have_exec || p.n_insns == 0) {
        /* v5 rejects this at load; older SP1 panics at the first fetch */
        zk_error("zkvm: load elf: no executable segment with instructions");
        err = ZK_EINVAL;
        goto out;
    }
    err = sort_image(&p);
    if (err) {
        goto out;
    }
    if (v5 && p.n_image > 0 && p.image[0].addr == 0) {
        zk_error("zkvm: load elf: image contains address 0 (v5 rule)");
        err = ZK_EINVAL;
        goto out;
    }
    *out = p;
    return ZK_OK;
out:
    zkvm_program_cleanup(&p);
    return err;
}
